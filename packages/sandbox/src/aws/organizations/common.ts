/** What every Organizations handler shares: who may call, the service's error shapes, and paging. */
import type { OrganizationState } from '../../world/organization-state.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';

/** Organizations' InvalidInputException, with its Reason. */
export function invalidInput(reason: string, message: string): AwsError {
  return new AwsError('InvalidInputException', message, 400, 'Sender', { Reason: reason });
}

/** Organizations' ConstraintViolationException, with its Reason. */
export function constraintViolation(reason: string, message: string): AwsError {
  return new AwsError('ConstraintViolationException', message, 400, 'Sender', { Reason: reason });
}

/**
 * The organization the caller may act on. Accounts outside any organization get AWSOrganizationsNotInUseException;
 * member accounts get AccessDeniedException unless the call is one any member may make (DescribeOrganization).
 */
export function organizationFor(ctx: AwsContext, options: { anyMember?: boolean } = {}): OrganizationState {
  const org = ctx.world.organization;
  if (!org?.accounts.has(ctx.caller.accountId)) {
    throw new AwsError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.',
      400,
    );
  }
  if (!options.anyMember && ctx.caller.accountId !== org.managementAccountId) {
    throw new AwsError(
      'AccessDeniedException',
      "You don't have permissions to access this resource. This operation can be called only from the organization's management account.",
      400,
    );
  }
  return org;
}

/** A required string member; InvalidInputException INPUT_REQUIRED when missing. */
export function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${name}.`);
  }
  return value;
}

/** Organizations pages at most 20 items; MaxResults outside 1..20 is refused. */
export const MAX_PAGE = 20;

type PageToken = { op: string; offset: number };

function decodeToken(token: string, op: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken;
    if (parsed.op === op && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // refused below
  }
  throw invalidInput('INVALID_NEXT_TOKEN', 'The specified NextToken is not valid.');
}

/**
 * One page of `items` for a list call, from `NextToken` and `MaxResults` (default and maximum 20).
 * The token is bound to the operation (and its key, e.g. the parent id) that issued it.
 */
export function page<T>(
  items: T[],
  input: { NextToken?: unknown; MaxResults?: unknown },
  op: string,
): { items: T[]; NextToken?: string } {
  let size = MAX_PAGE;
  if (input.MaxResults !== undefined && input.MaxResults !== null) {
    const n = Number(input.MaxResults);
    if (!Number.isInteger(n)) throw invalidInput('INVALID_ENUM', 'MaxResults must be an integer.');
    if (n < 1) throw invalidInput('MIN_VALUE_EXCEEDED', 'You provided a value for MaxResults that is less than 1.');
    if (n > MAX_PAGE) {
      throw invalidInput('MAX_VALUE_EXCEEDED', `You provided a value for MaxResults that is greater than ${MAX_PAGE}.`);
    }
    size = n;
  }
  const offset = typeof input.NextToken === 'string' && input.NextToken ? decodeToken(input.NextToken, op) : 0;
  const slice = items.slice(offset, offset + size);
  const next = offset + size;
  if (next >= items.length) return { items: slice };
  return { items: slice, NextToken: Buffer.from(JSON.stringify({ op, offset: next })).toString('base64url') };
}
