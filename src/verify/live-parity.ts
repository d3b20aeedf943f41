/**
 * Access parity computed from the live roles: each Identity Center role's policies (as IAM holds them) go
 * through the plan's own parity engine (src/core/plan-parity.ts) against the user's IAM policies before, and
 * the result is compared with the parity the plan reported. Pure: documents come in, differences go out.
 */
import type { AccountSnapshot } from '../core/model.js';
import type { UserPolicies } from '../core/permission-sets-sources.js';
import type { ParityEngine } from '../core/plan-parity.js';
import type { PlannedPermissionSet, UserParity } from '../core/plan-types.js';
import type { LiveRole } from './reserved-roles.js';

/** Parity without the reviewer's acknowledgements. */
export type Parity = Omit<UserParity, 'acknowledged'>;

/** The live role as a permission set the parity engine reads (every attached policy by ARN, one inline). */
export function roleAsPermissionSet(role: LiveRole): PlannedPermissionSet {
  const statements = role.inline.flatMap((p) => {
    const doc = JSON.parse(p.document) as { Statement?: unknown };
    return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  });
  return {
    key: `live:${role.accountId}:${role.roleName}`,
    name: role.permissionSet,
    sessionDuration: `PT${role.maxSessionDuration}S`,
    kind: 'read-only',
    managedPolicies: role.managed.map((p) => p.arn),
    customerManagedPolicies: [],
    inlinePolicy:
      role.inline.length === 1
        ? role.inline[0].document
        : role.inline.length > 1
          ? JSON.stringify({ Version: '2012-10-17', Statement: statements })
          : null,
    permissionsBoundary: role.boundary ? { managedPolicyArn: role.boundary.arn } : null,
    reason: `live role ${role.roleName} in ${role.accountId}`,
  };
}

/** Documents of the roles' managed policies and boundaries by ARN (the engine's lookup for the after side). */
export function liveDocuments(roles: LiveRole[]): (arn: string) => string | null {
  const docs = new Map<string, string>();
  for (const r of roles)
    for (const p of [...r.managed, ...(r.boundary ? [r.boundary] : [])]) if (p.document) docs.set(p.arn, p.document);
  return (arn) => docs.get(arn) ?? null;
}

/**
 * Parity of a user's policies before against the live roles after. The engine must look managed documents up
 * in the live documents only (see liveDocuments): the account is passed without its snapshot policies.
 */
export function liveParity(
  engine: ParityEngine,
  before: UserPolicies,
  roles: LiveRole[],
  account: AccountSnapshot,
): Parity {
  return engine.parityOf(before, roles.map(roleAsPermissionSet), { ...account, policies: [] });
}

const MORE = /^… and (\d+) more$/;

/** A list as the plan writes it: the entries it names, and how many more it only counted. */
function listed(list: string[]): { entries: Set<string>; more: number } {
  const entries = new Set<string>();
  let more = 0;
  for (const item of list) {
    const m = MORE.exec(item);
    if (m) more += Number(m[1]);
    else entries.add(item);
  }
  return { entries, more };
}

function sample(items: string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} (+${items.length - 5})`;
}

function compareList(what: string, planned: string[], live: string[]): string[] {
  const p = listed(planned);
  const l = listed(live);
  const out: string[] = [];
  const onlyLive = [...l.entries].filter((x) => !p.entries.has(x));
  const onlyPlan = [...p.entries].filter((x) => !l.entries.has(x));
  if (onlyLive.length) out.push(`${what}: live has ${sample(onlyLive)}, the plan does not`);
  if (onlyPlan.length) out.push(`${what}: the plan has ${sample(onlyPlan)}, live does not`);
  if (p.more !== l.more) out.push(`${what}: the plan counts ${p.more} more beyond its list, the live roles ${l.more}`);
  return out;
}

/**
 * How the live parity differs from the plan's (empty when they agree): gaps, excess (the named entries and the
 * count past the plan's truncation) and statements for review, each compared as a set.
 */
export function parityDifferences(planned: Parity, live: Parity): string[] {
  return [
    ...compareList('gaps', planned.gaps, live.gaps),
    ...compareList('excess', planned.excess, live.excess),
    ...compareList('needs review', planned.needsReview, live.needsReview),
  ];
}
