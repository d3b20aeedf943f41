/**
 * Does a live Identity Center role hold exactly its permission set's policies? Managed and customer managed
 * policies by ARN, the inline policy by content, the boundary, and the session duration. Pure.
 */
import type { PlannedPermissionSet } from '../core/plan-types.js';
import type { LiveRole } from './reserved-roles.js';

/** Seconds in an ISO-8601 duration such as PT1H or PT1H30M (NaN when it is not one). */
export function isoDurationSeconds(duration: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration);
  if (!m || (!m[1] && !m[2] && !m[3])) return Number.NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

function customerArn(partition: string, accountId: string, ref: { name: string; path: string }): string {
  return `arn:${partition}:iam::${accountId}:policy${ref.path}${ref.name}`;
}

/** JSON text with object keys sorted, so equal documents compare equal however they were written. */
function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** What differs between the live role and the permission set it was provisioned from (empty: exactly it). */
export function roleDifferences(role: LiveRole, ps: PlannedPermissionSet): string[] {
  const out: string[] = [];
  const partition = partitionOf(role.arn);
  const want = new Set([
    ...ps.managedPolicies,
    ...ps.customerManagedPolicies.map((ref) => customerArn(partition, role.accountId, ref)),
  ]);
  const have = new Set(role.managed.map((p) => p.arn));
  const missing = [...want].filter((a) => !have.has(a));
  const extra = [...have].filter((a) => !want.has(a));
  if (missing.length) out.push(`policies missing from the role: ${missing.join(', ')}`);
  if (extra.length) out.push(`policies on the role the permission set does not have: ${extra.join(', ')}`);
  for (const p of role.managed) if (p.document === null) out.push(`policy ${p.arn} cannot be read`);
  if (ps.inlinePolicy === null && role.inline.length > 0)
    out.push(`inline policies on the role: ${role.inline.map((p) => p.name).join(', ')}`);
  if (ps.inlinePolicy !== null) {
    const inline = role.inline.find((p) => p.name === 'AwsSSOInlinePolicy');
    if (!inline) out.push('the inline policy AwsSSOInlinePolicy is missing');
    else if (canonicalJson(inline.document) !== canonicalJson(ps.inlinePolicy))
      out.push('the inline policy differs from the permission set');
    if (role.inline.length > (inline ? 1 : 0))
      out.push(`other inline policies: ${role.inline.filter((p) => p !== inline).map((p) => p.name)}`);
  }
  const b = ps.permissionsBoundary;
  const wantBoundary = !b
    ? null
    : 'managedPolicyArn' in b
      ? b.managedPolicyArn
      : customerArn(partition, role.accountId, b.customerManagedPolicy);
  if ((role.boundary?.arn ?? null) !== wantBoundary)
    out.push(
      `permissions boundary is ${role.boundary?.arn ?? 'none'}, the permission set has ${wantBoundary ?? 'none'}`,
    );
  const seconds = isoDurationSeconds(ps.sessionDuration);
  if (role.maxSessionDuration !== seconds)
    out.push(`maximum session is ${role.maxSessionDuration} s, the permission set says ${ps.sessionDuration}`);
  return out;
}
