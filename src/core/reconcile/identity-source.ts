/**
 * Who feeds Identity Center's directory, as the plan file's `identitySource` says: iam2sso itself (`iam2sso-sync`:
 * apply makes the Entra groups and mirrors them into the Identity Store, `sync` keeps them in step), Entra's own SCIM
 * provisioning (`scim`: apply makes the Entra groups, their members and their assignment to the enterprise app, waits
 * for provisioning to bring each group into the Identity Store, then assigns it), or someone else (`external`: another
 * IdP, an HR feed, a person; apply works on the AWS side only and tells the operator which groups to create where).
 * Pure.
 */
import type { ApplyDiff, LiveApplyState } from './apply-diff.js';
import type { Change } from './changes.js';
import type { ScimChange } from './changes-scim.js';
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

/** True when apply reads and writes Entra (groups, members, app assignments): every source but `external`. */
export function entraWritten(source: IdentitySource): boolean {
  return source !== 'external';
}

/** Why a command needs Entra under a source, and how to go without it (for a missing-settings message). */
export function entraNeed(source: IdentitySource): string {
  return `the plan's identitySource ${source} keeps its groups in Entra; with identitySource: external apply and plan work on the AWS side only, without Entra`;
}

/** What the operator does to bring a missing group into the Identity Store when another feed fills it. */
export function operatorStep(group: DesiredGroup): string {
  const members = group.members.length;
  const who = `${members} member${members === 1 ? '' : 's'} (users[].groups in the plan)`;
  return `create the group "${group.name}" with its ${who} in your identity source so it reaches the Identity Store under this name, then run apply again`;
}

/**
 * Narrows apply's diff to what the source leaves to apply. `external`: the AWS side only, no Entra or Identity Store
 * group, user or membership writes (their deletes included: the groups are not ours to remove), and the assignments
 * of a planned group the Identity Store does not hold yet wait, with the step that brings it. `scim`: Entra's side
 * too, but no Identity Store writes (provisioning makes those); without the enterprise app, the assignments of a
 * missing group wait for `iam2sso entra setup`.
 */
export function scopeToIdentitySource(
  diff: ApplyDiff,
  source: IdentitySource,
  planned: DesiredGroup[],
  storeGroups: Set<string>,
  /** scim: why Entra's provisioning cannot bring groups now (see provisioningBlocker), or null. */
  blocked: string | null = null,
): ApplyDiff {
  if (toolFeedsDirectory(source)) return diff;
  const noStore: ApplyDiff['store'] = {
    createGroups: [],
    createUsers: [],
    addMembers: [],
    removeMembers: [],
    deleteGroups: [],
  };
  if (source === 'scim' && !blocked) return { ...diff, store: noStore };
  const missing = planned.filter((g) => !storeGroups.has(g.name.toLowerCase()));
  const absent = new Set(missing.map((g) => g.name.toLowerCase()));
  const step = (g: DesiredGroup) =>
    source === 'scim'
      ? `not in the Identity Store, and Entra's provisioning cannot bring it now: ${blocked}`
      : `not in the Identity Store (identity source ${source}): ${operatorStep(g)}`;
  const skipped: Skipped[] = missing.map((g) => ({ item: `group ${g.name}`, reason: step(g) }));
  for (const a of diff.assignments.create)
    if (absent.has(a.group.toLowerCase()))
      skipped.push({
        item: `assignment ${a.accountId} ${a.permissionSet} -> ${a.group}`,
        reason: `waits for group ${a.group} to reach the Identity Store`,
      });
  const assignments = {
    ...diff.assignments,
    create: diff.assignments.create.filter((a) => !absent.has(lower(a.group))),
  };
  if (source === 'scim') return { ...diff, assignments, store: noStore, skipped: [...diff.skipped, ...skipped] };
  return {
    ...diff,
    groups: { create: [], update: [], delete: [], unchanged: [] },
    assignments,
    store: noStore,
    appAssignments: [],
    skipped: [...diff.skipped, ...skipped],
  };
}

/** A provisioning job as far as apply looks at it. */
export type ProvisioningJobState = { id: string; scheduleState: string; quarantined: boolean };

/**
 * Why Entra's provisioning cannot bring groups into the Identity Store now, with what to do, or null when it can
 * (its job is active and not in quarantine). `jobs` null: the app is not set up; `unknown`: the jobs could not be read
 * (then apply waits, and says so if the groups do not come).
 */
export function provisioningBlocker(jobs: ProvisioningJobState[] | null | 'unknown'): string | null {
  if (jobs === 'unknown') return null;
  if (jobs === null)
    return 'the AWS IAM Identity Center enterprise app is not set up in Entra: run `iam2sso entra setup` with --scim-endpoint, then run apply again';
  const job = jobs[0];
  if (!job)
    return 'the AWS IAM Identity Center app has no provisioning job: run `iam2sso entra setup --scim-endpoint URL` (token in IAM2SSO_SCIM_TOKEN), then run apply again';
  if (job.quarantined)
    return `provisioning job ${job.id} is in quarantine: fix the SCIM endpoint or token (\`iam2sso entra setup --replace-scim-credentials\`), restart provisioning, then run apply again`;
  if (!/active/i.test(job.scheduleState))
    return `provisioning job ${job.id} is ${job.scheduleState}: start provisioning in Entra (Enterprise apps > AWS IAM Identity Center > Provisioning), then run apply again`;
  return null;
}

/**
 * With `scim`, one wait per group whose account assignments are to be made while the Identity Store does not hold it
 * yet (`storeGroups`: lower-cased names): its assignments follow the wait (see changes-scim.ts).
 */
export function scimWaits(source: IdentitySource, changes: Change[], storeGroups: Set<string>): ScimChange[] {
  if (source !== 'scim') return [];
  const groups = new Map<string, string>();
  for (const c of changes)
    if (c.kind === 'assignment.create' && !storeGroups.has(lower(c.group))) groups.set(lower(c.group), c.group);
  return [...groups.values()].sort().map((group) => ({ kind: 'scim.group.await', group }));
}

/**
 * The live state as the ownership check sees it under `scim`: an Identity Store group that Entra's provisioning made
 * from a group iam2sso owns in Entra (its externalId is that group's object id) counts as iam2sso's; one that merely
 * holds the name (made by hand, by another feed) does not, since provisioning would take it over with its members.
 */
export function withProvisionedGroups(source: IdentitySource, live: LiveApplyState): LiveApplyState {
  if (source !== 'scim') return live;
  const ours = new Map(live.groups.filter((g) => g.managedByTool).map((g) => [lower(g.name), g.id]));
  return {
    ...live,
    store: {
      ...live.store,
      groups: live.store.groups.map((g) => {
        const entraId = ours.get(lower(g.name));
        const linked = entraId !== undefined && (g.externalIds ?? []).includes(entraId);
        return linked ? { ...g, managedByTool: true } : g;
      }),
    },
  };
}

/** The operator's summary line for an apply whose directory someone else feeds (null for iam2sso-sync). */
export function identitySourceNote(source: IdentitySource, planned: number, present: number): string | null {
  if (toolFeedsDirectory(source)) return null;
  if (source === 'scim')
    return `Identity source scim: apply makes the ${planned} planned group(s) and their members in Entra and assigns them to the AWS IAM Identity Center app; Entra's provisioning brings them into the Identity Store (${present} there now), and each group's account assignments are made once it arrives.`;
  return `Identity source ${source}: groups and members come from your identity source; apply makes the permission sets and assigns the ${present} of ${planned} planned group(s) already in the Identity Store (no Entra credentials used).`;
}

function lower(s: string): string {
  return s.toLowerCase();
}
