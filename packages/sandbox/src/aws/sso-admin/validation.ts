/**
 * Input validation shared by the SSO Admin and Identity Store handlers, with the messages AWS's
 * service framework gives (`1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: ...`).
 */
import { AwsError } from '../errors.js';

/** A ValidationException with AWS's message shape for one failed member constraint. */
export function constraintError(member: string, value: unknown, constraint: string): AwsError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A plain ValidationException. */
export function invalid(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** The member name as AWS reports it in validation messages (camelCase). */
function memberName(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

/** A required string member, with length bounds and an optional pattern. */
export function requireString(
  input: Record<string, unknown>,
  field: string,
  opts: { min?: number; max?: number; pattern?: RegExp } = {},
): string {
  const value = input[field];
  if (value === undefined || value === null) {
    throw constraintError(memberName(field), null, 'Member must not be null');
  }
  return checkString(field, value, opts);
}

/** An optional string member: undefined when absent, else checked like requireString. */
export function optionalString(
  input: Record<string, unknown>,
  field: string,
  opts: { min?: number; max?: number; pattern?: RegExp } = {},
): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  return checkString(field, value, opts);
}

function checkString(field: string, value: unknown, opts: { min?: number; max?: number; pattern?: RegExp }): string {
  const name = memberName(field);
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${field} must be a string`);
  const min = opts.min ?? 1;
  if (value.length < min) throw constraintError(name, value, `Member must have length greater than or equal to ${min}`);
  if (opts.max !== undefined && value.length > opts.max) {
    throw constraintError(name, value, `Member must have length less than or equal to ${opts.max}`);
  }
  if (opts.pattern && !opts.pattern.test(value)) {
    throw constraintError(name, value, `Member must satisfy regular expression pattern: ${opts.pattern.source}`);
  }
  return value;
}

/** An optional MaxResults in [1, max]. */
export function maxResults(input: Record<string, unknown>, max = 100): number | undefined {
  const value = input.MaxResults;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new AwsError('SerializationException', 'MaxResults must be an integer');
  }
  if (value < 1) throw constraintError('maxResults', value, 'Member must have value greater than or equal to 1');
  if (value > max) throw constraintError('maxResults', value, `Member must have value less than or equal to ${max}`);
  return value;
}

/** One of a fixed set of string values. */
export function requireEnum<T extends string>(input: Record<string, unknown>, field: string, values: readonly T[]): T {
  const value = input[field];
  if (value === undefined || value === null) {
    throw constraintError(memberName(field), null, 'Member must not be null');
  }
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw constraintError(memberName(field), value, `Member must satisfy enum value set: [${values.join(', ')}]`);
  }
  return value as T;
}
