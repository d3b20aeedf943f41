/** Turns the policy references of a scenario (names or ARNs) into the ARNs IAM stores. */
import { awsManagedPolicy } from '@iam2sso/managed-policies';
import { AWS_MANAGED_ARNS } from './catalog.js';

/** The ARN of an AWS managed policy given by name (`ViewOnlyAccess` or `job-function/ViewOnlyAccess`). */
export function awsManagedArn(name: string): string | undefined {
  const short = name.split('/').pop()!;
  const known = AWS_MANAGED_ARNS[short];
  if (known) return known;
  const found = awsManagedPolicy(short)?.arn;
  return found && (found.endsWith(`/${name}`) || !name.includes('/')) ? found : undefined;
}

/**
 * Resolves a reference: an ARN as is, a customer managed policy of the account by name, or an AWS managed
 * policy by name. Undefined when nothing matches.
 */
export function resolvePolicyRef(
  ref: string,
  accountId: string,
  customer: ReadonlyMap<string, { path: string }>,
): string | undefined {
  if (ref.startsWith('arn:')) return ref;
  const own = customer.get(ref);
  if (own) return `arn:aws:iam::${accountId}:policy${own.path}${ref}`;
  return awsManagedArn(ref);
}
