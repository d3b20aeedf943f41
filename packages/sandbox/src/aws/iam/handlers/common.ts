/** What IAM handlers share: the caller's account scope, the implied user of optional UserName, tag input. */
import type { Tag } from '../../../world/iam-state.js';
import type { AwsContext, QueryParams } from '../../context.js';
import { AwsError } from '../../errors.js';
import { structListParam } from '../../query.js';
import type { IamScope } from '../ops.js';

/** The account the request acts on. */
export function scopeOf(ctx: AwsContext): IamScope {
  return { world: ctx.world, account: ctx.caller.account };
}

/**
 * The user a call acts on: `UserName` when given, else the calling IAM user; null for the root user
 * (only where the call supports it, e.g. access keys); ValidationError for role sessions.
 */
export function impliedUser(ctx: AwsContext, params: QueryParams, allowRoot = false): string | null {
  const given = params.get('UserName');
  if (given) return given;
  const p = ctx.caller.principal;
  if (p.kind === 'user') return p.userName;
  if (p.kind === 'root' && allowRoot) return null;
  throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials');
}

/** Like impliedUser, for calls that never act on the root user. */
export function impliedIamUser(ctx: AwsContext, params: QueryParams): string {
  const user = impliedUser(ctx, params, false);
  return user as string;
}

/** `Tags.member.N.Key/Value`. */
export function tagsParam(params: QueryParams, name = 'Tags'): Tag[] {
  return structListParam(params, name).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

/** A `Status` parameter of Active/Inactive. */
export function statusParam(params: QueryParams): 'Active' | 'Inactive' {
  const status = params.get('Status');
  if (status !== 'Active' && status !== 'Inactive')
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${status ?? 'null'}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
    );
  return status;
}
