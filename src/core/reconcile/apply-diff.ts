/**
 * The whole change set apply makes, beyond the Identity Center / Entra diff of diff.ts: planned members that have
 * no usable Entra account are skipped with the reason; the Identity Store mirror of the planned groups (groups,
 * users, memberships, so assignments have a principal); the app assignment of each group; and provisioning of
 * permission sets whose accounts do not have their latest version. Pure.
 */
import type { DesiredState, Skipped } from './desired.js';
import { diffState, type LiveState, type StateDiff } from './diff.js';

/** An Entra user as the member resolution needs it. */
export type EntraPerson = { upn: string; enabled: boolean };

export type LiveStoreGroup = {
  id: string;
  name: string;
  managedByTool: boolean;
  members: { upn: string; membershipId: string }[];
  /** The ids an identity provider gave it (Entra's provisioning writes the Entra group's object id). */
  externalIds?: string[];
};

/** Live state of everything apply touches. */
export type LiveApplyState = LiveState & {
  store: { groups: LiveStoreGroup[]; users: string[] };
  /** Per permission set name: accounts it is provisioned to, and those not at its latest version. */
  provisioned: { permissionSet: string; accounts: string[]; outdated: string[] }[];
  /** Null when the enterprise app is not set up in Entra; else the group names assigned to it. */
  appAssignedGroups: string[] | null;
};

export type ApplyDiff = StateDiff & {
  store: {
    createGroups: string[];
    createUsers: string[];
    addMembers: { group: string; upn: string }[];
    removeMembers: { group: string; upn: string; membershipId: string }[];
    deleteGroups: LiveStoreGroup[];
  };
  appAssignments: string[];
  provisioning: { permissionSet: string; accountId: string }[];
  skipped: Skipped[];
};

/** Leaves out planned members without an enabled Entra account, each reported once with the reason. */
export function resolveMembers(desired: DesiredState, people: EntraPerson[]): DesiredState {
  const byUpn = new Map(people.map((p) => [p.upn.toLowerCase(), p]));
  const skipped = [...desired.skipped];
  const reported = new Set<string>();
  const groups = desired.groups.map((g) => ({
    ...g,
    members: g.members.filter((upn) => {
      const person = byUpn.get(upn);
      const reason = !person
        ? 'no Entra user with this user principal name'
        : person.enabled
          ? null
          : 'Entra account disabled';
      if (reason && !reported.has(upn)) {
        reported.add(upn);
        skipped.push({ item: `member ${upn}`, reason });
      }
      return reason === null;
    }),
  }));
  return { ...desired, groups, skipped };
}

function diffStore(desired: DesiredState, live: LiveApplyState): ApplyDiff['store'] {
  const byName = new Map(live.store.groups.map((g) => [g.name.toLowerCase(), g]));
  const users = new Set(live.store.users.map((u) => u.toLowerCase()));
  const out: ApplyDiff['store'] = {
    createGroups: [],
    createUsers: [],
    addMembers: [],
    removeMembers: [],
    deleteGroups: [],
  };
  const wantedUsers = new Set<string>();
  for (const g of desired.groups) {
    const l = byName.get(g.name.toLowerCase());
    if (!l) out.createGroups.push(g.name);
    const have = new Set((l?.members ?? []).map((m) => m.upn.toLowerCase()));
    for (const upn of g.members) {
      wantedUsers.add(upn);
      if (!have.has(upn)) out.addMembers.push({ group: g.name, upn });
    }
    if (l?.managedByTool && !g.keepsDirectoryMembers) {
      const want = new Set(g.members);
      for (const m of l.members)
        if (!want.has(m.upn.toLowerCase())) out.removeMembers.push({ group: g.name, ...m, upn: m.upn.toLowerCase() });
    }
  }
  out.createUsers = [...wantedUsers].filter((u) => !users.has(u)).sort();
  const wanted = new Set(desired.groups.map((g) => g.name.toLowerCase()));
  out.deleteGroups = live.store.groups.filter((g) => g.managedByTool && !wanted.has(g.name.toLowerCase()));
  return out;
}

function diffProvisioning(diff: StateDiff, live: LiveApplyState): ApplyDiff['provisioning'] {
  const updated = new Set(diff.permissionSets.update.map((u) => u.desired.name));
  const deleted = new Set(diff.permissionSets.delete.map((p) => p.name));
  const out: ApplyDiff['provisioning'] = [];
  for (const p of live.provisioned) {
    if (deleted.has(p.permissionSet)) continue;
    const accounts = updated.has(p.permissionSet) ? p.accounts : p.outdated;
    for (const accountId of [...new Set(accounts)].sort()) out.push({ permissionSet: p.permissionSet, accountId });
  }
  return out;
}

/** Everything apply would change, from the target and the live state. */
export function diffApply(desired: DesiredState, live: LiveApplyState): ApplyDiff {
  const base = diffState(desired, live);
  const assigned = new Set((live.appAssignedGroups ?? []).map((g) => g.toLowerCase()));
  const skipped = [...desired.skipped];
  if (live.appAssignedGroups === null && desired.groups.length > 0)
    skipped.push({
      item: 'Entra app assignment',
      reason: 'the AWS IAM Identity Center enterprise app is not set up in Entra (run `iam2sso entra setup`)',
    });
  return {
    ...base,
    store: diffStore(desired, live),
    appAssignments:
      live.appAssignedGroups === null
        ? []
        : desired.groups.filter((g) => !assigned.has(g.name.toLowerCase())).map((g) => g.name),
    provisioning: diffProvisioning(base, live),
    skipped,
  };
}

/** Counts of the whole change set for the summary line. */
export function applyDiffCounts(diff: ApplyDiff): { create: number; update: number; delete: number } {
  const s = diff.store;
  return {
    create:
      diff.permissionSets.create.length +
      diff.groups.create.length +
      diff.assignments.create.length +
      s.createGroups.length +
      s.createUsers.length +
      s.addMembers.length +
      diff.appAssignments.length,
    update: diff.permissionSets.update.length + diff.groups.update.length + diff.provisioning.length,
    delete:
      diff.permissionSets.delete.length +
      diff.groups.delete.length +
      diff.assignments.delete.length +
      s.removeMembers.length +
      s.deleteGroups.length,
  };
}

/** True when apply would change nothing. */
export function isApplyDiffEmpty(diff: ApplyDiff): boolean {
  const c = applyDiffCounts(diff);
  return c.create + c.update + c.delete === 0;
}
