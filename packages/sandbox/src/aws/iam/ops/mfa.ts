/** Virtual MFA devices: create, enable for a user (TOTP codes checked), deactivate, delete; and TOTP itself. */
import { createHmac } from 'node:crypto';
import type { VirtualMfaDevice } from '../../../world/iam-state.js';
import { AwsError, noSuchEntity } from '../../errors.js';
import { checkName, checkPath } from '../validate.js';
import { type IamScope, requireUser } from './scope.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of text.replace(/=+$/, '')) {
    value = (value << 5) | BASE32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The RFC 6238 code (6 digits, 30-second steps, SHA-1) of a base32 seed at a time. */
export function totpCode(base32Seed: string, at: Date, stepOffset = 0): string {
  const counter = Math.floor(at.getTime() / 30_000) + stepOffset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(base32Seed)).update(msg).digest();
  const o = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000;
  return n.toString().padStart(6, '0');
}

/** Creates an unassigned virtual device with a fresh 64-character base32 seed. */
export function createVirtualMfaDevice(
  scope: IamScope,
  input: { name: string; path?: string; createDate?: Date },
): VirtualMfaDevice {
  const name = checkName(input.name, 'virtualMFADeviceName', 226);
  const path = checkPath(input.path);
  const serialNumber = `arn:aws:iam::${scope.account.id}:mfa${path}${name}`;
  const iam = scope.account.iam;
  if (iam.mfaDevices.has(serialNumber))
    throw new AwsError('EntityAlreadyExists', 'MFADevice entity at the same path and name already exists.', 409);
  const device: VirtualMfaDevice = {
    serialNumber,
    base32Seed: scope.world.rng.chars(64, BASE32),
    createDate: input.createDate ?? scope.world.clock.now(),
    tags: [],
  };
  iam.mfaDevices.set(serialNumber, device);
  return device;
}

function requireDevice(scope: IamScope, serialNumber: string): VirtualMfaDevice {
  const device = scope.account.iam.mfaDevices.get(serialNumber);
  if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
  return device;
}

/** True when code1 and code2 are two consecutive codes of the seed around `now`. */
export function consecutiveCodesMatch(seed: string, now: Date, code1: string, code2: string): boolean {
  for (let k = -2; k <= 1; k++)
    if (totpCode(seed, now, k) === code1 && totpCode(seed, now, k + 1) === code2) return true;
  return false;
}

/**
 * Assigns a device to a user. Codes are checked when given (the API always gives them); scenarios
 * that build estates directly pass none.
 */
export function enableMfaDevice(
  scope: IamScope,
  userName: string,
  serialNumber: string,
  codes?: { code1: string; code2: string },
  enableDate?: Date,
): void {
  const user = requireUser(scope.account.iam, userName);
  const device = requireDevice(scope, serialNumber);
  if (device.userName) throw new AwsError('EntityAlreadyExists', 'MFA Device is already in use.', 409);
  if (codes && !consecutiveCodesMatch(device.base32Seed, scope.world.clock.now(), codes.code1, codes.code2))
    throw new AwsError('InvalidAuthenticationCode', 'Authentication code for device is not valid.', 403);
  device.userName = user.userName;
  device.enableDate = enableDate ?? scope.world.clock.now();
  user.mfaDevices.push(serialNumber);
}

/** Unassigns a device from a user (the device itself remains until deleted). */
export function deactivateMfaDevice(scope: IamScope, userName: string, serialNumber: string): void {
  const user = requireUser(scope.account.iam, userName);
  const i = user.mfaDevices.indexOf(serialNumber);
  if (i < 0) throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`);
  user.mfaDevices.splice(i, 1);
  const device = scope.account.iam.mfaDevices.get(serialNumber);
  if (device) {
    device.userName = undefined;
    device.enableDate = undefined;
  }
}

/** Deletes an unassigned virtual device. */
export function deleteVirtualMfaDevice(scope: IamScope, serialNumber: string): void {
  const device = requireDevice(scope, serialNumber);
  if (device.userName) throw new AwsError('DeleteConflict', 'MFA Device is still in use', 409);
  scope.account.iam.mfaDevices.delete(serialNumber);
}
