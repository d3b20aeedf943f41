/**
 * The decommission state machine: which IAM users the plan retires, the stage each stage command moves a user
 * to, what blocks it (the previous stage, the watch window, legacy use `track` saw in it, SSO access not proven),
 * and the typed changes that make a stage from the user's live state. Pure: time and evidence are passed in.
 */

import type {
  Blocker,
  DecommissionStage,
  IamUserFacts,
  LegacyUse,
  SsoProof,
  StageCommand,
  StageRecord,
} from './decommission-types.js';
import type { PlannedUser } from './plan-types.js';
import type { IamChange, IamUserRef } from './reconcile/changes-iam.js';
import { describeDays, regionalCoverageGaps, TRACK_TAIL_MS, type TrackWindow } from './track-coverage.js';

/** Settings from the `decommission:` section of iam2sso.yaml. */
export type DecommissionSettings = {
  /** Days between `deactivate-keys` and `delete` with no legacy use (default 30). */
  watchDays: number;
  /** Whether `delete` needs an SSO sign-in seen by `track` for a person (default true). */
  requireSsoSignIn: boolean;
};

/** The defaults: a 30-day watch window and a required SSO sign-in. */
export function defaultDecommissionSettings(): DecommissionSettings {
  return { watchDays: 30, requireSsoSignIn: true };
}

/** The stage each command leads to, and the stage it starts from. */
export const STAGE_AFTER: Record<StageCommand, { from: DecommissionStage; to: DecommissionStage }> = {
  'disable-console': { from: 'active', to: 'console-disabled' },
  'deactivate-keys': { from: 'console-disabled', to: 'keys-deactivated' },
  delete: { from: 'keys-deactivated', to: 'deleted' },
};

const ORDER: DecommissionStage[] = ['active', 'console-disabled', 'keys-deactivated', 'deleting', 'deleted'];

/** Why the plan does not let `decommission` touch a user, or null when it retires the user. */
export function notRetired(u: PlannedUser): string | null {
  if (u.category === 'break-glass') return 'it is a break-glass user (kept, with an alarm on its use)';
  if (u.action === 'keep') return 'the plan keeps it (action keep)';
  if (u.action === 'replace') return 'it is a service account the plan replaces (`iam2sso replace` retires it)';
  if (u.action === 'skip') return 'the plan leaves it out of this migration (action skip)';
  if (u.action === 'migrate' && u.blockedBy.length > 0) return `its migration is blocked: ${u.blockedBy.join('; ')}`;
  return null;
}

/** True when the user is a person who moves to SSO (their SSO access must be proven before `delete`). */
export function isPerson(u: PlannedUser): boolean {
  return u.action === 'migrate' && !!u.upn;
}

/** The command that moves a user on from its stage, or null when it is done. */
export function nextCommand(stage: DecommissionStage): StageCommand | null {
  if (stage === 'active') return 'disable-console';
  if (stage === 'console-disabled') return 'deactivate-keys';
  if (stage === 'keys-deactivated' || stage === 'deleting') return 'delete';
  return null;
}

/** The evidence the gates read for one user. */
export type GateInput = {
  user: PlannedUser;
  record: StageRecord | null;
  now: Date;
  settings: DecommissionSettings;
  /** Legacy uses `track` recorded for this IAM user (any time). */
  legacy: LegacyUse[];
  /** The windows `track`'s runs read (empty when it never ran). */
  tracked: TrackWindow[];
  /** Null when SSO access was not read (the gate then says so). */
  sso: SsoProof | null;
};

const DAY = 86_400_000;

/** Legacy uses at or after `since`. */
export function usesSince(legacy: LegacyUse[], since: string): LegacyUse[] {
  const from = Date.parse(since);
  return legacy
    .filter((u) => Date.parse(u.lastTime) >= from)
    .sort((a, b) => Date.parse(b.lastTime) - Date.parse(a.lastTime));
}

/** The newest legacy use, or null. */
export function lastLegacyUse(legacy: LegacyUse[]): LegacyUse | null {
  return [...legacy].sort((a, b) => (a.lastTime < b.lastTime ? 1 : -1))[0] ?? null;
}

/** One line of evidence for a legacy use. */
export function describeUse(u: LegacyUse): string {
  const what = u.detail ? `${u.via} ${u.detail}` : u.via;
  return `${u.usage} ${what} at ${u.lastTime} (event ${u.lastEventId}${u.sourceIp ? `, from ${u.sourceIp}` : ''}, ${u.events} event(s))`;
}

function ssoBlockers(input: GateInput): Blocker[] {
  if (!isPerson(input.user)) return [];
  const proof = input.sso;
  if (!proof) return [{ id: 'sso.not-read', message: 'SSO access was not read (Identity Center unreachable)' }];
  const out: Blocker[] = [];
  if (proof.assigned.length === 0)
    out.push({
      id: 'sso.no-assignment',
      message: `${input.user.upn} has no Identity Center assignment in ${input.user.accountId}: run \`iam2sso apply\``,
    });
  if (proof.verifyProblems === null)
    out.push({ id: 'sso.not-verified', message: '`iam2sso verify` has no result for this user' });
  else if (proof.verifyProblems.length > 0)
    out.push({ id: 'sso.verify-failed', message: `\`iam2sso verify\` fails: ${proof.verifyProblems.join('; ')}` });
  if (input.settings.requireSsoSignIn && !proof.firstSsoSignIn)
    out.push({
      id: 'sso.no-sign-in',
      message: `\`iam2sso track\` has seen no SSO sign-in by ${input.user.upn} (or set decommission.requireSsoSignIn: false)`,
    });
  return out;
}

/**
 * Whether `track` read the user's account for the whole watch window, from the stage's start to (a day before) now:
 * a day nobody read could hide a use. Names the days not covered.
 */
function trackBlocker(input: GateInput, entered: string): Blocker | null {
  if (input.tracked.length === 0)
    return { id: 'track.stale', message: `\`iam2sso track\` has never read CloudTrail: run it` };
  const { accountId } = input.user;
  const missing = regionalCoverageGaps(
    input.tracked,
    accountId,
    Date.parse(entered),
    input.now.getTime() - TRACK_TAIL_MS,
  );
  if (missing.length === 0) return null;
  const days = Math.ceil((input.now.getTime() - Math.min(...missing.map((m) => m.gaps[0].start))) / DAY);
  const where = missing.map(
    (m) => `${accountId}${m.region ? ` in ${m.region}` : ''} for ${describeDays(m.gaps).join(', ')}`,
  );
  const regions = missing.flatMap((m) => (m.region ? [m.region] : []));
  return {
    id: 'track.gap',
    message: `\`iam2sso track\` has not read CloudTrail of ${where.join('; ')} (watch window since ${entered.slice(0, 10)}): run \`iam2sso track --since ${days}d${regions.length ? ` --regions ${regions.join(',')}` : ''}\``,
  };
}

/** What blocks `command` for the user now (empty: it may run). */
export function blockersFor(command: StageCommand, input: GateInput): Blocker[] {
  const stage = input.record?.stage ?? 'active';
  const { from } = STAGE_AFTER[command];
  const resumingDelete = command === 'delete' && stage === 'deleting';
  if (stage === 'deleted') return [{ id: 'stage.done', message: 'the user is already deleted' }];
  if (!resumingDelete && ORDER.indexOf(stage) < ORDER.indexOf(from))
    return [{ id: 'stage.previous', message: `run \`--stage ${nextCommand(stage)}\` first (the user is ${stage})` }];
  if (command !== 'delete' || resumingDelete) return [];
  const out: Blocker[] = [];
  const entered = input.record!.enteredAt;
  const ends = new Date(Date.parse(entered) + input.settings.watchDays * DAY);
  if (input.now < ends)
    out.push({
      id: 'window.open',
      message: `the ${input.settings.watchDays}-day watch window since ${entered.slice(0, 10)} ends ${ends.toISOString().slice(0, 10)}`,
    });
  const coverage = trackBlocker(input, entered);
  if (coverage) out.push(coverage);
  const used = usesSince(input.legacy, entered);
  if (used.length > 0)
    out.push({
      id: 'use.in-window',
      message: `used during the watch window: ${used.slice(0, 3).map(describeUse).join('; ')}`,
    });
  return [...out, ...ssoBlockers(input)];
}

/** The changes that make `command`'s stage for a live user (empty when it is already there). */
export function stageChanges(command: StageCommand, facts: IamUserFacts): IamChange[] {
  const u: IamUserRef = { accountId: facts.accountId, userName: facts.userName };
  if (command === 'disable-console')
    return facts.loginProfile
      ? [{ ...u, kind: 'iam.login-profile.delete', passwordResetRequired: facts.loginProfile.passwordResetRequired }]
      : [];
  if (command === 'deactivate-keys') {
    const out: IamChange[] = [];
    const add = (
      type: 'access-key' | 'service-credential' | 'ssh-key' | 'signing-certificate',
      list: typeof facts.accessKeys,
    ) => {
      for (const k of list)
        if (k.status === 'Active') out.push({ ...u, kind: 'iam.credential.deactivate', type, id: k.id });
    };
    add('access-key', facts.accessKeys);
    add('service-credential', facts.serviceCredentials);
    add('ssh-key', facts.sshKeys);
    add('signing-certificate', facts.signingCertificates);
    return out;
  }
  return deleteChanges(facts);
}

/** Every removal `delete` makes, in IAM's order (the executor's phases keep it), then the user itself. */
export function deleteChanges(facts: IamUserFacts): IamChange[] {
  const u: IamUserRef = { accountId: facts.accountId, userName: facts.userName };
  const out: IamChange[] = [];
  if (facts.loginProfile)
    out.push({
      ...u,
      kind: 'iam.login-profile.delete',
      passwordResetRequired: facts.loginProfile.passwordResetRequired,
    });
  for (const k of facts.accessKeys) out.push({ ...u, kind: 'iam.credential.delete', type: 'access-key', id: k.id });
  for (const c of facts.signingCertificates)
    out.push({ ...u, kind: 'iam.credential.delete', type: 'signing-certificate', id: c.id });
  for (const k of facts.sshKeys) out.push({ ...u, kind: 'iam.credential.delete', type: 'ssh-key', id: k.id });
  for (const c of facts.serviceCredentials)
    out.push({ ...u, kind: 'iam.credential.delete', type: 'service-credential', id: c.id });
  for (const d of facts.mfaDevices) {
    out.push({ ...u, kind: 'iam.mfa.deactivate', serialNumber: d.serialNumber });
    if (d.virtual) out.push({ ...u, kind: 'iam.mfa.delete-virtual', serialNumber: d.serialNumber });
  }
  for (const p of facts.inlinePolicies)
    out.push({ ...u, kind: 'iam.user-policy.delete', policyName: p.name, document: p.document });
  for (const p of facts.attachedPolicies) out.push({ ...u, kind: 'iam.user-policy.detach', policyArn: p.arn });
  for (const g of facts.groups) out.push({ ...u, kind: 'iam.group.remove-user', group: g });
  out.push({
    ...u,
    kind: 'iam.user.delete',
    shape: { path: facts.path, tags: facts.tags, permissionsBoundary: facts.permissionsBoundary },
  });
  return out;
}

/** What `delete` cannot give back, said before it runs. */
export function irreversibleNote(facts: IamUserFacts): string {
  const lost: string[] = [];
  if (facts.loginProfile) lost.push('its password (a rollback sets a new one, reset required)');
  if (facts.accessKeys.length) lost.push(`${facts.accessKeys.length} access key(s)`);
  if (facts.serviceCredentials.length) lost.push(`${facts.serviceCredentials.length} service-specific credential(s)`);
  if (facts.sshKeys.length) lost.push(`${facts.sshKeys.length} SSH public key(s)`);
  if (facts.signingCertificates.length) lost.push(`${facts.signingCertificates.length} signing certificate(s)`);
  if (facts.mfaDevices.length) lost.push(`${facts.mfaDevices.length} MFA device(s) (must be registered again)`);
  return `${facts.accountId}/${facts.userName}: a rollback recreates the user with its policies, groups and tags; it cannot bring back its user id${lost.map((l) => `, ${l}`).join('')}`;
}
