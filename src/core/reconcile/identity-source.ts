/**
 * Who feeds Identity Center's directory, as the plan file's `identitySource` says: iam2sso itself (`iam2sso-sync`:
 * apply makes the Entra groups and mirrors them into the Identity Store, `sync` keeps them in step), Entra's own SCIM
 * provisioning (`scim`), or someone else (`external`: another IdP, an HR feed, a person). With `scim` and `external`
 * apply works on the AWS side only (permission sets, provisioning and assignments to the groups the Identity Store
 * already holds) and tells the operator which groups to create where. Pure.
 */
import type { ApplyDiff } from './apply-diff.js';
import type { DesiredGroup, Skipped } from './desired.js';

/** The identity sources a plan may name. */
export const IDENTITY_SOURCES = ['iam2sso-sync', 'scim', 'external'] as const;

/** Where Identity Center's users and groups come from. */
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

/** The source when a plan does not say (what apply always did). */
export const DEFAULT_IDENTITY_SOURCE: IdentitySource = 'iam2sso-sync';

/** True when apply and sync write to Entra and the Identity Store's groups themselves. */
export function toolFeedsDirectory(source: IdentitySource): boolean {
  return source === 'iam2sso-sync';
}

/** What the operator does to bring a missing group into the Identity Store, by source. */
export function operatorStep(source: IdentitySource, group: DesiredGroup): string {
  const members = group.members.length;
  const who = `${members} member${members === 1 ? '' : 's'} (users[].groups in the plan)`;
  if (source === 'scim')
    return `create the Entra group "${group.name}" with its ${who}, assign it to the AWS IAM Identity Center enterprise app so SCIM provisions it, then run apply again`;
  return `create the group "${group.name}" with its ${who} in your identity source so it reaches the Identity Store under this name, then run apply again`;
}

/**
 * Narrows apply's diff to the AWS side when the directory is fed by someone else: no Entra or Identity Store group,
 * user or membership writes (their deletes included: the groups are not ours to remove), and the assignments of a
 * planned group the Identity Store does not hold yet wait, with the step that brings it.
 */
export function scopeToIdentitySource(
  diff: ApplyDiff,
  source: IdentitySource,
  planned: DesiredGroup[],
  storeGroups: Set<string>,
): ApplyDiff {
  if (toolFeedsDirectory(source)) return diff;
  const missing = planned.filter((g) => !storeGroups.has(g.name.toLowerCase()));
  const absent = new Set(missing.map((g) => g.name.toLowerCase()));
  const skipped: Skipped[] = missing.map((g) => ({
    item: `group ${g.name}`,
    reason: `not in the Identity Store (identity source ${source}): ${operatorStep(source, g)}`,
  }));
  for (const a of diff.assignments.create)
    if (absent.has(a.group.toLowerCase()))
      skipped.push({
        item: `assignment ${a.accountId} ${a.permissionSet} -> ${a.group}`,
        reason: `waits for group ${a.group} to reach the Identity Store`,
      });
  return {
    ...diff,
    groups: { create: [], update: [], delete: [], unchanged: [] },
    assignments: { ...diff.assignments, create: diff.assignments.create.filter((a) => !absent.has(lower(a.group))) },
    store: { createGroups: [], createUsers: [], addMembers: [], removeMembers: [], deleteGroups: [] },
    appAssignments: [],
    skipped: [...diff.skipped, ...skipped],
  };
}

/** The operator's summary line for an apply whose directory someone else feeds (null for iam2sso-sync). */
export function identitySourceNote(source: IdentitySource, planned: number, present: number): string | null {
  if (toolFeedsDirectory(source)) return null;
  const feeder = source === 'scim' ? "Entra's SCIM provisioning" : 'your identity source';
  return `Identity source ${source}: groups and members come from ${feeder}; apply makes the permission sets and assigns the ${present} of ${planned} planned group(s) already in the Identity Store (no Entra credentials used).`;
}

function lower(s: string): string {
  return s.toLowerCase();
}
