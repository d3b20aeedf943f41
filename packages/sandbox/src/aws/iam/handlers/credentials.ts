/** IAM Query handlers for console passwords (login profiles) and access keys. */
import type { QueryHandler } from '../../context.js';
import { AwsError } from '../../errors.js';
import { boolParam, requireParam } from '../../query.js';
import {
  createAccessKey,
  createLoginProfile,
  deleteAccessKey,
  deleteLoginProfile,
  requireLoginProfile,
  requireUser,
  updateAccessKey,
  updateLoginProfile,
} from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { impliedUser, scopeOf, statusParam } from './common.js';

/** Handlers for login profiles and access keys. */
export const credentialHandlers: Record<string, QueryHandler> = {
  CreateLoginProfile: (ctx, params) => {
    const scope = scopeOf(ctx);
    const userName = requireParam(params, 'UserName');
    const profile = createLoginProfile(
      scope,
      userName,
      requireParam(params, 'Password'),
      boolParam(params, 'PasswordResetRequired', false),
    );
    const user = requireUser(scope.account.iam, userName);
    return {
      LoginProfile: {
        UserName: user.userName,
        CreateDate: profile.createDate,
        PasswordResetRequired: profile.passwordResetRequired,
      },
    };
  },

  GetLoginProfile: (ctx, params) => {
    const user = requireUser(scopeOf(ctx).account.iam, requireParam(params, 'UserName'));
    const profile = requireLoginProfile(user);
    return {
      LoginProfile: {
        UserName: user.userName,
        CreateDate: profile.createDate,
        PasswordResetRequired: profile.passwordResetRequired,
      },
    };
  },

  UpdateLoginProfile: (ctx, params) => {
    const reset = params.get('PasswordResetRequired');
    updateLoginProfile(scopeOf(ctx), requireParam(params, 'UserName'), {
      password: params.get('Password'),
      passwordResetRequired: reset === undefined ? undefined : reset === 'true',
    });
    return {};
  },

  DeleteLoginProfile: (ctx, params) => {
    deleteLoginProfile(scopeOf(ctx), requireParam(params, 'UserName'));
    return {};
  },

  CreateAccessKey: (ctx, params) => {
    const userName = impliedUser(ctx, params, true);
    const scope = scopeOf(ctx);
    const key = createAccessKey(scope, userName);
    const owner = userName === null ? undefined : requireUser(scope.account.iam, userName).userName;
    return {
      AccessKey: {
        UserName: owner,
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        SecretAccessKey: key.secretAccessKey,
        CreateDate: key.createDate,
      },
    };
  },

  ListAccessKeys: (ctx, params) => {
    const userName = impliedUser(ctx, params, true);
    const scope = scopeOf(ctx);
    const user = userName === null ? undefined : requireUser(scope.account.iam, userName);
    const keys = user ? user.accessKeys : scope.account.iam.root.accessKeys;
    const page = pageOf(keys, params);
    return {
      AccessKeyMetadata: page.items.map((k) => ({
        UserName: user?.userName,
        AccessKeyId: k.accessKeyId,
        Status: k.status,
        CreateDate: k.createDate,
      })),
      ...pageFields(page),
    };
  },

  UpdateAccessKey: (ctx, params) => {
    updateAccessKey(
      scopeOf(ctx),
      impliedUser(ctx, params, true),
      requireParam(params, 'AccessKeyId'),
      statusParam(params),
    );
    return {};
  },

  DeleteAccessKey: (ctx, params) => {
    deleteAccessKey(scopeOf(ctx), impliedUser(ctx, params, true), requireParam(params, 'AccessKeyId'));
    return {};
  },

  GetAccessKeyLastUsed: (ctx, params) => {
    const id = requireParam(params, 'AccessKeyId');
    const found = ctx.world.findAccessKey(id);
    if (!found || found.accountId !== ctx.caller.accountId)
      throw new AwsError('AccessDenied', `User is not authorized to access key ${id}.`, 403);
    const last = found.key.lastUsed;
    return {
      UserName: found.userName ?? undefined,
      AccessKeyLastUsed: last
        ? { LastUsedDate: last.date, ServiceName: last.serviceName, Region: last.region }
        : { ServiceName: 'N/A', Region: 'N/A' },
    };
  },
};
