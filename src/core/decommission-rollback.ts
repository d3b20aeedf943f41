/**
 * The rollback of a user's decommission: the journaled undo of each change it made, newest first, kept only where
 * the live user still differs (a key already active again, a user already recreated, a policy already there are
 * left alone), and what cannot come back, said plainly. Pure.
 */
import { STAGE_AFTER } from './decommission.js';
import type { DecommissionStage, IamUserFacts, StageCommand, StageRecord } from './decommission-types.js';
import { describeIamChange, type IamChange } from './reconcile/changes-iam.js';

/** A journaled change and its undo (null: AWS cannot give it back). */
export type JournaledChange = { change: IamChange; undo: IamChange | null };

/** An empty user, as a just-recreated one is. */
function blank(facts: { accountId: string; userName: string }): IamUserFacts {
  return {
    accountId: facts.accountId,
    userName: facts.userName,
    userId: '',
    path: '/',
    createDate: '',
    tags: [],
    permissionsBoundary: null,
    loginProfile: null,
    accessKeys: [],
    signingCertificates: [],
    sshKeys: [],
    serviceCredentials: [],
    mfaDevices: [],
    inlinePolicies: [],
    attachedPolicies: [],
    groups: [],
  };
}

function credentialList(live: IamUserFacts, type: string) {
  if (type === 'access-key') return live.accessKeys;
  if (type === 'service-credential') return live.serviceCredentials;
  if (type === 'ssh-key') return live.sshKeys;
  return live.signingCertificates;
}

/** Whether the undo still has something to do against the live user (null live: the user does not exist). */
function needed(undo: IamChange, live: IamUserFacts | null): boolean | 'gone' {
  if (undo.kind === 'iam.user.create') return live === null;
  const user = live ?? null;
  if (!user) return 'gone';
  switch (undo.kind) {
    case 'iam.login-profile.create':
      return user.loginProfile === null;
    case 'iam.credential.activate': {
      const found = credentialList(user, undo.type).find((k) => k.id === undo.id);
      return found ? found.status === 'Inactive' : 'gone';
    }
    case 'iam.user-policy.put':
      return !user.inlinePolicies.some((p) => p.name === undo.policyName);
    case 'iam.user-policy.attach':
      return !user.attachedPolicies.some((p) => p.arn === undo.policyArn);
    case 'iam.group.add-user':
      return !user.groups.includes(undo.group);
    default:
      return false;
  }
}

/**
 * The changes that undo `journaled` (one user's, oldest first) against its live state, and notes on what cannot
 * come back (deleted keys and credentials, MFA devices, the old password).
 */
export function rollbackChanges(
  user: { accountId: string; userName: string },
  journaled: JournaledChange[],
  live: IamUserFacts | null,
): { changes: IamChange[]; notes: string[] } {
  const changes: IamChange[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const recreate = journaled.some((j) => j.undo?.kind === 'iam.user.create') && live === null;
  const after = recreate ? blank(user) : live;
  for (const j of [...journaled].reverse()) {
    if (!j.undo) {
      notes.push(`cannot come back: ${describeIamChange(j.change).slice(2)}`);
      continue;
    }
    const id = JSON.stringify(j.undo);
    if (seen.has(id)) continue;
    seen.add(id);
    const need = needed(j.undo, j.undo.kind === 'iam.user.create' ? live : after);
    if (need === 'gone') notes.push(`cannot come back (deleted): ${describeIamChange(j.change).slice(2)}`);
    else if (need) changes.push(j.undo);
  }
  if (changes.some((c) => c.kind === 'iam.login-profile.create'))
    notes.push('the console password is new (reset required at first sign-in); the old one cannot come back');
  return { changes, notes };
}

/** The stage command a run's changes of one user belong to (only `delete` removes more than a password or deactivates). */
export function stageOfChanges(changes: { kind: string }[]): StageCommand | null {
  if (changes.length === 0) return null;
  if (changes.every((c) => c.kind === 'iam.login-profile.delete')) return 'disable-console';
  if (changes.every((c) => c.kind === 'iam.credential.deactivate')) return 'deactivate-keys';
  return 'delete';
}

const RANK: Record<DecommissionStage, number> = {
  active: 0,
  'console-disabled': 1,
  'keys-deactivated': 2,
  deleting: 3,
  deleted: 3,
};

/**
 * What undoing one decommission run means for a user's stage (`current`; null: active), given the run's changes of
 * that user: refused when the user has moved past the run's stage (the later stage is undone first); back to the
 * stage before when the run put the user where it is (entered `now`: that stage's watch window starts again);
 * unchanged when the user is not past the stage before (already rolled back, or the run's change failed).
 */
export function stageAfterRunRollback(
  current: StageRecord | null,
  user: { accountId: string; userName: string },
  runChanges: { kind: string }[],
  now: Date,
  rollbackRunId: string,
): { refused: string } | { record: StageRecord | null } | 'unchanged' {
  const stage = stageOfChanges(runChanges);
  if (!stage) return 'unchanged';
  const { from, to } = STAGE_AFTER[stage];
  const at = current?.stage ?? 'active';
  if (RANK[at] > RANK[to])
    return { refused: `it is ${at} since a later run${current?.runId ? ` (${current.runId})` : ''}: undo that first` };
  if (RANK[at] <= RANK[from]) return 'unchanged';
  if (from === 'active') return { record: null };
  const { accountId, userName } = user;
  return { record: { accountId, userName, stage: from, enteredAt: now.toISOString(), runId: rollbackRunId } };
}
