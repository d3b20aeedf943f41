/** IAM Query handlers for virtual MFA devices. */
import type { QueryHandler } from '../../context.js';
import { AwsError } from '../../errors.js';
import { requireParam } from '../../query.js';
import {
  createVirtualMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
  requireUser,
  tagEntity,
} from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { tagsXml, userXml } from '../shapes.js';
import { impliedUser, scopeOf, tagsParam } from './common.js';

/** Handlers for the MFA device calls. */
export const mfaHandlers: Record<string, QueryHandler> = {
  CreateVirtualMFADevice: (ctx, params) => {
    const tags = tagEntity([], tagsParam(params));
    const device = createVirtualMfaDevice(scopeOf(ctx), {
      name: requireParam(params, 'VirtualMFADeviceName'),
      path: params.get('Path'),
    });
    device.tags = tags;
    return {
      VirtualMFADevice: {
        SerialNumber: device.serialNumber,
        // A blob on the wire: base64 of the base32 text.
        Base32StringSeed: Buffer.from(device.base32Seed, 'ascii').toString('base64'),
        Tags: tagsXml(device.tags),
      },
    };
  },

  EnableMFADevice: (ctx, params) => {
    enableMfaDevice(scopeOf(ctx), requireParam(params, 'UserName'), requireParam(params, 'SerialNumber'), {
      code1: requireParam(params, 'AuthenticationCode1'),
      code2: requireParam(params, 'AuthenticationCode2'),
    });
    return {};
  },

  DeactivateMFADevice: (ctx, params) => {
    const userName = impliedUser(ctx, params, false) as string;
    deactivateMfaDevice(scopeOf(ctx), userName, requireParam(params, 'SerialNumber'));
    return {};
  },

  DeleteVirtualMFADevice: (ctx, params) => {
    deleteVirtualMfaDevice(scopeOf(ctx), requireParam(params, 'SerialNumber'));
    return {};
  },

  ListMFADevices: (ctx, params) => {
    const scope = scopeOf(ctx);
    const userName = impliedUser(ctx, params, true);
    const iam = scope.account.iam;
    let devices: { UserName?: string; SerialNumber: string; EnableDate: Date }[];
    if (userName === null) {
      devices = iam.root.mfaActive
        ? [
            {
              SerialNumber: `arn:aws:iam::${scope.account.id}:mfa/root-account-mfa-device`,
              EnableDate: iam.root.createDate,
            },
          ]
        : [];
    } else {
      const user = requireUser(iam, userName);
      devices = user.mfaDevices.map((serial) => ({
        UserName: user.userName,
        SerialNumber: serial,
        EnableDate: iam.mfaDevices.get(serial)?.enableDate ?? user.createDate,
      }));
    }
    const page = pageOf(devices, params);
    return { MFADevices: page.items, ...pageFields(page) };
  },

  ListVirtualMFADevices: (ctx, params) => {
    const scope = scopeOf(ctx);
    const iam = scope.account.iam;
    const status = params.get('AssignmentStatus') ?? 'Any';
    if (!['Assigned', 'Unassigned', 'Any'].includes(status))
      throw new AwsError('ValidationError', `Value '${status}' at 'assignmentStatus' failed to satisfy constraint`);
    const devices = [...iam.mfaDevices.values()]
      .filter((d) => status === 'Any' || (status === 'Assigned') === Boolean(d.userName))
      .sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : 1));
    const page = pageOf(devices, params);
    return {
      VirtualMFADevices: page.items.map((d) => {
        const user = d.userName ? iam.users.get(d.userName) : undefined;
        return {
          SerialNumber: d.serialNumber,
          User: user ? userXml(scope, user) : undefined,
          EnableDate: d.enableDate,
          Tags: tagsXml(d.tags),
        };
      }),
      ...pageFields(page),
    };
  },
};
