/**
 * `planMigration`: from an audit snapshot to the migration plan. Pure: the catalog, managed policy documents
 * and identity results come in as data; the previous plan's edits are kept.
 */

import { weighDirectoryEvidence } from './classify-directory.js';
import { designGroups, type GroupNeed, withMembersFromUsers } from './groups.js';
import type { IdentityResult } from './identity-map.js';
import type { AccountSnapshot, AuditSnapshot, Category, Classification, UserRecord } from './model.js';
import { unacknowledgedGaps } from './parity.js';
import { designPermissionSets } from './permission-sets.js';
import type { Bundle } from './permission-sets-bundle.js';
import { candidateName } from './permission-sets-naming.js';
import { chooseBundles } from './permission-sets-reuse.js';
import { createSelfServiceFilter } from './permission-sets-self-service.js';
import { type ManagedPolicyDocuments, type UserPolicies, userPolicies } from './permission-sets-sources.js';
import { createSubsumer } from './permission-sets-subsume.js';
import {
  carryAcknowledged,
  carryAction,
  carryFrom,
  carryPermissionSet,
  carryServiceAccount,
  carryUpn,
  defaultAction,
} from './plan-carry.js';
import { fingerprintSnapshot } from './plan-fingerprint.js';
import { createParityEngine } from './plan-parity.js';
import type { PlanSettings } from './plan-settings.js';
import type { MigrationPlan, PlannedPermissionSet, PlannedUser, PlanProblem, UpnSource } from './plan-types.js';
import { PLAN_FORMAT_VERSION } from './plan-types.js';
import type { PolicyCompiler } from './policy/compile.js';
import { DEFAULT_IDENTITY_SOURCE } from './reconcile/identity-source.js';
import { recommendServiceAccount } from './service-accounts.js';

export type PlanInput = {
  snapshot: AuditSnapshot;
  classifications: Classification[];
  settings: PlanSettings;
  compiler: PolicyCompiler;
  managedDocuments: ManagedPolicyDocuments;
  /** `accountId/userName` → mapping outcome (see resolveIdentities). */
  identities: Map<string, IdentityResult>;
  previous: MigrationPlan | null;
  createdAt: string;
};

/** The plan, and the reviewer edits kept from the previous plan. */
export type PlanOutcome = { plan: MigrationPlan; keptEdits: string[] };

type Subject = {
  user: UserRecord;
  account: AccountSnapshot;
  key: string;
  category: Category;
  guessed: boolean;
  review: string | null;
  notes: string[];
};

/** Plans the migration of every user of every reachable account. */
export function planMigration(input: PlanInput): PlanOutcome {
  const { snapshot, settings, compiler } = input;
  const fingerprint = fingerprintSnapshot(snapshot);
  const carry = carryFrom(input.previous, fingerprint);
  const problems: PlanProblem[] = [];
  const subjects = subjectsOf(snapshot, input.classifications, input.identities);
  const actions = new Map(subjects.map((s) => [s.key, carryAction(carry, s.key, defaultAction(s.category))]));
  const migrating = subjects.filter((s) => actions.get(s.key) === 'migrate');

  const policies = new Map<string, UserPolicies>();
  const bundleOf = new Map<string, Bundle>();
  const uses = new Map<string, { bundle: Bundle; users: string[]; stems: Map<string, number> }>();
  const dropNotes = new Map<string, string[]>();
  const withoutSelfService = createSelfServiceFilter();
  for (const s of subjects) {
    const own = withoutSelfService(userPolicies(s.user, s.account, input.managedDocuments));
    policies.set(s.key, own.policies);
    dropNotes.set(s.key, own.notes);
  }
  const subsume = createSubsumer(compiler);
  const reduced = migrating.map((s) => {
    const r = subsume(policies.get(s.key) as UserPolicies);
    dropNotes.get(s.key)?.push(...r.notes);
    return { key: s.key, accountId: s.user.accountId, policies: r.policies };
  });
  const chosen = chooseBundles(reduced, settings);
  for (const s of migrating) {
    const bundle = chosen.get(s.key) as Bundle;
    bundleOf.set(s.key, bundle);
    const use = uses.get(bundle.key) ?? { bundle, users: [] as string[], stems: new Map<string, number>() };
    use.users.push(s.key);
    const stem = candidateName(bundle);
    use.stems.set(stem, (use.stems.get(stem) ?? 0) + 1);
    uses.set(bundle.key, use);
  }
  const design = designPermissionSets(
    [...uses.values()].map((u) => ({ bundle: u.bundle, users: u.users, stem: mostCommon(u.stems) })),
    settings,
    compiler,
    new Map(snapshot.accounts.map((a) => [a.accountId, a.alias ?? a.name])),
  );
  problems.push(...design.problems);
  const sets = design.permissionSets.map((ps) => carryPermissionSet(carry, ps, settings));
  const setsByKey = new Map(sets.map((ps) => [ps.key, ps]));

  const upns = new Map<string, { upn: string | null; source: UpnSource; blocked: string | null }>();
  for (const s of migrating) upns.set(s.key, identityOf(s.key, input.identities.get(s.key), carry));
  const needs: GroupNeed[] = migrating.map((s) => ({
    accountId: s.user.accountId,
    userName: s.user.userName,
    upn: upns.get(s.key)?.upn ?? null,
    permissionSets: setsFor(s.key, bundleOf, design.partsByBundle, setsByKey).map((ps) => ({
      key: ps.key,
      name: ps.name,
    })),
  }));
  const labels = snapshot.accounts
    .filter((a) => a.status !== 'unreachable')
    .map((a) => ({ accountId: a.accountId, name: a.name, alias: a.alias }));
  const renamed = groupRenames(needs, labels, settings, carry);
  const groups = designGroups(needs, labels, settings, renamed);

  const engine = createParityEngine(compiler, input.managedDocuments);
  const users: PlannedUser[] = subjects.map((s) => {
    const action = actions.get(s.key) as PlannedUser['action'];
    const acknowledged = carryAcknowledged(carry, s.key);
    const base: PlannedUser = {
      accountId: s.user.accountId,
      userName: s.user.userName,
      category: s.category,
      ...(s.review ? { review: s.review } : {}),
      upn: null,
      upnSource: 'none',
      action,
      permissionSets: [],
      groups: [],
      parity: { gaps: [], excess: [], needsReview: [], acknowledged },
      blockedBy: [],
      notes: [
        ...(s.guessed ? ['no classification in the audit snapshot: category guessed from credentials'] : []),
        ...s.notes,
      ],
    };
    if (action !== 'migrate') return base;
    base.notes.push(...(dropNotes.get(s.key) ?? []));
    const psList = setsFor(s.key, bundleOf, design.partsByBundle, setsByKey);
    const identity = upns.get(s.key) as { upn: string | null; source: UpnSource; blocked: string | null };
    const parity = engine.parityOf(policies.get(s.key) as UserPolicies, psList, s.account);
    const open = unacknowledgedGaps(parity.gaps, acknowledged);
    const blockedBy = [
      ...(identity.blocked ? [identity.blocked] : []),
      ...(open.length ? [`parity: ${open.length} unacknowledged gap${open.length === 1 ? '' : 's'}`] : []),
    ];
    if (psList.length === 0) base.notes.push('has no permissions today: nothing to assign');
    return {
      ...base,
      upn: identity.upn,
      upnSource: identity.source,
      permissionSets: psList.map((ps) => ps.name),
      groups: groups.byUser.get(s.key) ?? [],
      parity: { ...parity, acknowledged },
      blockedBy,
    };
  });

  const serviceAccounts = subjects
    .filter((s) => actions.get(s.key) === 'replace')
    .map((s) =>
      carryServiceAccount(carry, recommendServiceAccount(s.user, (policies.get(s.key) as UserPolicies).sources)),
    );
  const plan: MigrationPlan = {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: input.createdAt,
    identitySource: input.previous?.identitySource ?? DEFAULT_IDENTITY_SOURCE,
    fingerprint,
    permissionSets: sets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    groups: withMembersFromUsers(groups.groups, users),
    users,
    serviceAccounts,
    problems: [...problems, ...unreachable(snapshot)],
    // A person's adoptions are kept as written (only a person adopts).
    ...(input.previous?.adopt?.length ? { adopt: input.previous.adopt } : {}),
  };
  return { plan, keptEdits: carry.kept };
}

/** Every user to plan, with the audit's category weighed against the directory's evidence (see classify-directory). */
function subjectsOf(
  snapshot: AuditSnapshot,
  classifications: Classification[],
  identities: Map<string, IdentityResult>,
): Subject[] {
  const byKey = new Map(classifications.map((c) => [`${c.accountId}/${c.userName}`, c]));
  const out: Subject[] = [];
  for (const account of snapshot.accounts) {
    if (account.status === 'unreachable') continue;
    for (const user of [...account.users].sort((a, b) => (a.userName < b.userName ? -1 : 1))) {
      const key = `${account.accountId}/${user.userName}`;
      const known = byKey.get(key);
      const audited = known ?? { category: guessCategory(user), confidence: 'low' as const, decidedBy: 'undecided' };
      const verdict = weighDirectoryEvidence(user, audited, identities.get(key));
      out.push({
        user,
        account,
        key,
        category: verdict.category,
        guessed: !known,
        review: verdict.review,
        notes: verdict.notes,
      });
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function guessCategory(user: UserRecord): Category {
  if (user.consoleEnabled) return 'human-console';
  return user.accessKeys.some((k) => k.status === 'Active') ? 'service' : 'stale';
}

function setsFor(
  key: string,
  bundleOf: Map<string, Bundle>,
  parts: Map<string, string[]>,
  setsByKey: Map<string, PlannedPermissionSet>,
): PlannedPermissionSet[] {
  const bundle = bundleOf.get(key);
  if (!bundle) return [];
  return (parts.get(bundle.key) ?? []).map((k) => setsByKey.get(k) as PlannedPermissionSet);
}

function identityOf(key: string, result: IdentityResult | undefined, carry: ReturnType<typeof carryFrom>) {
  const resolved = result?.status === 'mapped' ? result.upn : null;
  const edited = carryUpn(carry, key, resolved);
  if (edited) return { upn: edited, source: 'plan-file' as UpnSource, blocked: null };
  if (result?.status === 'mapped') return { upn: result.upn, source: result.source, blocked: null };
  if (result?.status === 'ambiguous') {
    return {
      upn: null,
      source: 'none' as UpnSource,
      blocked: `identity: ambiguous (${result.candidates.join(', ')}); set upn`,
    };
  }
  return {
    upn: null,
    source: 'none' as UpnSource,
    blocked: `identity: no Entra UPN found (${result?.detail ?? 'not mapped'}); set upn`,
  };
}

function groupRenames(
  needs: GroupNeed[],
  labels: { accountId: string; name: string; alias: string | null }[],
  settings: PlanSettings,
  carry: ReturnType<typeof carryFrom>,
): Map<string, string> {
  if (carry.groups.size === 0) return new Map();
  const generated = designGroups(needs, labels, settings, new Map());
  const renamed = new Map<string, string>();
  for (const g of generated.groups) {
    const prev = carry.groups.get(g.key);
    if (prev && prev !== g.name) {
      renamed.set(g.key, prev);
      carry.kept.push(`group ${g.name}: name ${prev}`);
    }
  }
  return renamed;
}

function mostCommon(counts: Map<string, number>): string {
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0] ?? 'Custom';
}

function unreachable(snapshot: AuditSnapshot): PlanProblem[] {
  return snapshot.accounts.flatMap((a): PlanProblem[] => {
    if (a.status === 'unreachable')
      return [
        {
          id: 'account.unreachable',
          accountId: a.accountId,
          message: `not read, not planned, nothing will be changed there: ${a.error ?? 'unreachable during the audit'}`,
        },
      ];
    if (a.status === 'partial')
      return [
        {
          id: 'account.partial',
          accountId: a.accountId,
          message: `read only partly, so nothing there will be updated or deleted; not read: ${(a.unread ?? []).map((u) => u.message).join('; ')}`,
        },
      ];
    return [];
  });
}
