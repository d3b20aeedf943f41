/** The AWS JSON 1.1 protocol (Organizations, SSO Admin, Identity Store, CloudTrail): JSON in, JSON out. */
import type { AwsError } from './errors.js';

/** The error body JSON services return; the SDKs read `__type`, the CLI also reads `x-amzn-ErrorType`. */
export function jsonErrorBody(error: AwsError, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ __type: error.code, message: error.message, ...error.fields, ...extra });
}

/** Serializes a JSON-protocol result: Date values become epoch seconds, as these services send timestamps. */
export function jsonResultBody(result: unknown): string {
  return JSON.stringify(result ?? {}, function (this: Record<string, unknown>, key, value) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
}
