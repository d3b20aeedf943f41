/**
 * The gates of retiring direct SAML federation, per (account, role) the plan lists under `directSaml:`: `disable`
 * (the Entra app's sign-in switched off for the account) waits for the Identity Center access that replaces each of
 * the account's roles and for a watch window `track` read whole with no AssumeRoleWithSAML use of them; `delete`
 * waits for the disable stage to have stood a watch window, read whole by `track`, with no use. A provider goes only
 * with every role that trusts it, the provisioning user only with its account's providers, the application only
 * with its account's roles. Anything still used stops with the evidence (UPN, last time, event id). Pure: time and
 * evidence are passed in.
 */
import type { Blocker } from './decommission-types.js';
import type { DirectSamlFederation } from './direct-saml.js';
import type { PlannedSamlRole } from './plan-types.js';
import { coverageGaps, describeDays, TRACK_TAIL_MS, type TrackWindow } from './track-coverage.js';

/** The stage commands of `decommission saml`. */
export type SamlRetireStage = 'disable' | 'delete';

/** Where an (account, role) stands: nothing done, its app's sign-in disabled, or deleted. */
export type SamlRoleStage = 'active' | 'disabled' | 'deleted';

/** The stage record of an (account, role). */
export type SamlStageRecord = { accountId: string; role: string; stage: SamlRoleStage; enteredAt: string };

/** One person's last AssumeRoleWithSAML into a role, as `track` recorded it. */
export type SamlUse = { upn: string; accountId: string; role: string; lastTime: string; lastEventId: string };

/** What the gates read for one (account, role). */
export type SamlGateInput = {
  entry: PlannedSamlRole;
  record: SamlStageRecord | null;
  now: Date;
  watchDays: number;
  uses: SamlUse[];
  tracked: TrackWindow[];
  /** `account|permission set|group (lower case)` of every Identity Center assignment read live; null: not read. */
  assigned: Set<string> | null;
};

const DAY = 86_400_000;

/** The key of an assignment as `assigned` holds it. */
export function assignmentKey(accountId: string, permissionSet: string, group: string): string {
  return `${accountId}|${permissionSet}|${group.toLowerCase()}`;
}

/** One line of evidence for a use. */
export function describeSamlUse(u: SamlUse): string {
  return `${u.upn} signed in to ${u.accountId}/${u.role} at ${u.lastTime} (event ${u.lastEventId})`;
}

function accessBlockers(input: SamlGateInput): Blocker[] {
  const e = input.entry;
  if (e.blockedBy.length > 0)
    return [{ id: 'plan.blocked', message: `the plan does not replace it yet: ${e.blockedBy.join('; ')}` }];
  if (e.permissionSets.length === 0)
    return [{ id: 'plan.no-permission-set', message: 'the plan gives it no permission set' }];
  if (!input.assigned)
    return [{ id: 'iic.not-read', message: 'Identity Center assignments were not read (unreachable)' }];
  const missing = e.permissionSets
    .map((ps, i) => ({ ps, group: e.groups[i] ?? '' }))
    .filter((a) => !input.assigned!.has(assignmentKey(e.accountId, a.ps, a.group)));
  return missing.length === 0
    ? []
    : [
        {
          id: 'iic.missing',
          message: `the Identity Center access that replaces it is not there: ${missing.map((m) => `${m.ps} for group ${m.group} on ${e.accountId}`).join(', ')}: run \`iam2sso apply\``,
        },
      ];
}

function windowBlockers(input: SamlGateInput, from: number): Blocker[] {
  const e = input.entry;
  const out: Blocker[] = [];
  const to = input.now.getTime() - TRACK_TAIL_MS;
  if (input.tracked.length === 0)
    out.push({ id: 'track.stale', message: '`iam2sso track` has never read CloudTrail: run it' });
  else {
    const gaps = coverageGaps(input.tracked, e.accountId, from, to);
    if (gaps.length > 0) {
      const days = Math.ceil((input.now.getTime() - gaps[0].start) / DAY);
      out.push({
        id: 'track.gap',
        message: `\`iam2sso track\` has not read CloudTrail of ${e.accountId} for ${describeDays(gaps).join(', ')}: run \`iam2sso track --since ${days}d\``,
      });
    }
  }
  const used = input.uses
    .filter((u) => u.accountId === e.accountId && u.role === e.role && Date.parse(u.lastTime) >= from)
    .sort((a, b) => Date.parse(b.lastTime) - Date.parse(a.lastTime));
  if (used.length > 0)
    out.push({
      id: 'use.in-window',
      message: `still used through direct SAML since ${new Date(from).toISOString().slice(0, 10)}: ${used.slice(0, 3).map(describeSamlUse).join('; ')}${used.length > 3 ? ` (and ${used.length - 3} more)` : ''}`,
    });
  return out;
}

/** What blocks `stage` for an (account, role) now (empty: it may run). */
export function samlRoleBlockers(stage: SamlRetireStage, input: SamlGateInput): Blocker[] {
  const at = input.record?.stage ?? 'active';
  if (at === 'deleted') return [{ id: 'stage.done', message: 'the role is already retired' }];
  if (stage === 'disable') {
    if (at === 'disabled') return [];
    return [...accessBlockers(input), ...windowBlockers(input, input.now.getTime() - input.watchDays * DAY)];
  }
  if (at !== 'disabled')
    return [{ id: 'stage.previous', message: 'run `decommission saml --stage disable` first (sign-in still enabled)' }];
  const entered = Date.parse(input.record!.enteredAt);
  const ends = new Date(entered + input.watchDays * DAY);
  const out: Blocker[] = [];
  if (input.now < ends)
    out.push({
      id: 'window.open',
      message: `the ${input.watchDays}-day watch window since ${input.record!.enteredAt.slice(0, 10)} ends ${ends.toISOString().slice(0, 10)}`,
    });
  return [...out, ...windowBlockers(input, entered), ...accessBlockers(input)];
}

/** The objects a delete run may remove, given which (account, role)s it retires (now or before). */
export type SamlRetireScope = {
  /** Providers (ARNs) whose every trusting role is retired. */
  providers: string[];
  /** Providers kept, with why. */
  keptProviders: { arn: string; why: string }[];
  /** `account/user` of provisioning users whose account keeps no direct SAML provider. */
  provisioningUsers: string[];
  /** Accounts whose every planned role is retired (their Entra app may go). */
  accountsDone: string[];
};

/**
 * What else goes with the retired roles: a provider only when every role trusting it (as the audit read it) is
 * retired, the provisioning users of an account only when all its providers go, the app only when all the
 * account's planned roles go. `retired` holds `account/role`.
 */
export function samlRetireScope(
  federations: DirectSamlFederation[],
  entries: PlannedSamlRole[],
  retired: Set<string>,
): SamlRetireScope {
  const out: SamlRetireScope = { providers: [], keptProviders: [], provisioningUsers: [], accountsDone: [] };
  for (const f of federations) {
    let allGone = true;
    for (const p of f.providers) {
      const left = p.roles.filter((r) => !retired.has(`${f.accountId}/${r}`));
      if (left.length === 0) out.providers.push(p.arn);
      else {
        allGone = false;
        out.keptProviders.push({ arn: p.arn, why: `still trusted by ${left.join(', ')}` });
      }
    }
    if (allGone && f.providers.length > 0)
      out.provisioningUsers.push(...f.provisioningUsers.map((u) => `${f.accountId}/${u}`));
  }
  const accounts = [...new Set(entries.map((e) => e.accountId))];
  out.accountsDone = accounts.filter((a) =>
    entries.filter((e) => e.accountId === a).every((e) => retired.has(`${a}/${e.role}`)),
  );
  return out;
}
