/** Assertions shared by the sandbox's AWS service tests. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';

type AwsErr = Error & { $metadata?: { httpStatusCode?: number } };

/** Asserts that `promise` rejects with the AWS error `name` and HTTP `status`, as the SDK reports them. */
export function rejectsWith(promise: Promise<unknown>, name: string, status: number): Promise<void> {
  return assert.rejects(promise, (e: AwsErr) => {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

/** RFC 6238 TOTP, written here independently of the sandbox. */
export function totp(base32: string, atMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => Number.parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', key).update(msg).digest();
  const o = mac[19] & 0xf;
  return ((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}
