/**
 * Direct SAML federation in the plan: each role a non-Identity-Center SAML provider lets people assume becomes the
 * permission set(s) with the same access (the role's policies made into a bundle, as a user's are; a permission set
 * of the plan with the same content is reused) and an assignment to the account's `AWS-<Account>-<PermissionSet>`
 * group, with access parity of the role against the permission sets proven by the same engine as users'. Each
 * Entra app-role assignment (a group's direct members, or a user) becomes membership of that group. Reviewer
 * acknowledgements are kept when the plan is made again. Pure.
 */
import { type DirectSamlEntra, recognizeDirectSaml, roleOfArn, type SamlAppRole } from './direct-saml.js';
import { fill } from './groups.js';
import type { AccountSnapshot, AuditSnapshot } from './model.js';
import { unacknowledgedGaps } from './parity.js';
import { designPermissionSets } from './permission-sets.js';
import { buildBundle } from './permission-sets-bundle.js';
import { candidateName } from './permission-sets-naming.js';
import { type ManagedPolicyDocuments, rolePolicies } from './permission-sets-sources.js';
import { createParityEngine } from './plan-parity.js';
import type { PlanSettings } from './plan-settings.js';
import type { MigrationPlan, PlannedGroup, PlannedPermissionSet, PlannedSamlRole, PlanProblem } from './plan-types.js';
import type { PolicyCompiler } from './policy/compile.js';

export type DirectSamlPlanInput = {
  snapshot: AuditSnapshot;
  /** What the audit read of the Entra apps (null: an audit from before iam2sso read them). */
  entra: DirectSamlEntra | null;
  settings: PlanSettings;
  compiler: PolicyCompiler;
  managedDocuments: ManagedPolicyDocuments;
  previous: MigrationPlan | null;
};

type Subject = { account: AccountSnapshot; role: string; provider: string; key: string };

function subjectsOf(snapshot: AuditSnapshot): Subject[] {
  return snapshot.accounts
    .filter((a) => a.status !== 'unreachable')
    .flatMap((account) =>
      (recognizeDirectSaml(account)?.providers ?? []).flatMap((p) =>
        p.roles.map((role) => ({ account, role, provider: p.arn, key: `${account.accountId}/saml-role:${role}` })),
      ),
    );
}

/** The Entra app roles naming this role and provider, across apps. */
function holdersOf(entra: DirectSamlEntra | null, s: Subject): { members: string[]; via: string[] } {
  if (entra?.status !== 'read') return { members: [], via: [] };
  const roles: SamlAppRole[] = entra.apps.flatMap((a) =>
    a.roles.filter((r) => {
      const named = roleOfArn(r.roleArn);
      return r.providerArn === s.provider && named?.accountId === s.account.accountId && named.roleName === s.role;
    }),
  );
  const members = new Set<string>();
  const via: string[] = [];
  for (const r of roles) {
    for (const g of r.groups) {
      via.push(`group ${g.displayName}`);
      for (const m of g.members) members.add(m.toLowerCase());
    }
    for (const u of r.users) {
      via.push(`user ${u.toLowerCase()}`);
      members.add(u.toLowerCase());
    }
  }
  return { members: [...members].sort(), via: [...new Set(via)].sort() };
}

const sameContent = (a: PlannedPermissionSet, b: PlannedPermissionSet) =>
  JSON.stringify([a.managedPolicies, a.customerManagedPolicies, a.inlinePolicy, a.permissionsBoundary]) ===
  JSON.stringify([b.managedPolicies, b.customerManagedPolicies, b.inlinePolicy, b.permissionsBoundary]);

/** The plan with direct SAML roles brought in: permission sets, groups, `directSaml` entries and problems. */
export function withDirectSaml(plan: MigrationPlan, input: DirectSamlPlanInput): MigrationPlan {
  const subjects = subjectsOf(input.snapshot);
  if (subjects.length === 0) return plan;
  const policies = new Map(subjects.map((s) => [s.key, rolePolicies(roleOf(s), s.account, input.managedDocuments)]));
  const bundles = new Map(subjects.map((s) => [s.key, buildBundle(policies.get(s.key)!, input.settings)]));
  const uses = new Map<string, { bundle: ReturnType<typeof buildBundle>; users: string[]; stem: string }>();
  for (const s of subjects) {
    const bundle = bundles.get(s.key)!;
    // Named as users' sets are (AdministratorAccess, ...), so a role and a user with the same access read alike.
    const use = uses.get(bundle.key) ?? { bundle, users: [], stem: candidateName(bundle) };
    use.users.push(s.key);
    uses.set(bundle.key, use);
  }
  const labels = new Map(input.snapshot.accounts.map((a) => [a.accountId, a.alias ?? a.name]));
  const design = designPermissionSets([...uses.values()], input.settings, input.compiler, labels);
  // A permission set of the plan with the same content serves the role too; a new one never takes a used name.
  const sets = [...plan.permissionSets];
  const setOf = new Map<string, PlannedPermissionSet>();
  for (const ps of design.permissionSets) {
    const same = sets.find((p) => sameContent(p, ps));
    if (same) setOf.set(ps.key, same);
    else {
      const name = sets.some((p) => p.name === ps.name) ? `${ps.name.slice(0, 27)}-SAML` : ps.name;
      // designPermissionSets counts its subjects as users; here they are roles.
      const reason = ps.reason.replace(
        /for (\d+) users?/,
        (_, n) => `for ${n} direct SAML role${n === '1' ? '' : 's'}`,
      );
      const added = { ...ps, name, reason };
      sets.push(added);
      setOf.set(ps.key, added);
    }
  }
  const groups = plan.groups.map((g) => ({ ...g }));
  const engine = createParityEngine(input.compiler, input.managedDocuments);
  const acknowledged = new Map(
    (input.previous?.directSaml ?? []).map((r) => [`${r.accountId}/saml-role:${r.role}`, r.parity.acknowledged]),
  );
  const entries: PlannedSamlRole[] = subjects.map((s) => {
    const psList = (design.partsByBundle.get(bundles.get(s.key)!.key) ?? []).map((k) => setOf.get(k)!);
    const groupNames = psList.map((ps) => groupFor(groups, s.account, ps, input.settings).name);
    const parity = engine.parityOf(policies.get(s.key)!, psList, s.account);
    const ack = acknowledged.get(s.key) ?? [];
    const open = unacknowledgedGaps(parity.gaps, ack);
    const holders = holdersOf(input.entra, s);
    const blockedBy = [
      ...(input.entra?.status === 'read'
        ? []
        : ['entra: the app roles were not read by the audit (who holds the role is unknown)']),
      ...(open.length ? [`parity: ${open.length} unacknowledged gap${open.length === 1 ? '' : 's'}`] : []),
    ];
    for (const name of groupNames) {
      const g = groups.find((x) => x.name === name)!;
      if (blockedBy.length === 0) g.members = [...new Set([...g.members, ...holders.members])].sort();
    }
    return {
      accountId: s.account.accountId,
      role: s.role,
      provider: s.provider,
      permissionSets: psList.map((p) => p.name),
      groups: groupNames,
      ...holders,
      parity: { ...parity, acknowledged: ack },
      blockedBy,
    };
  });
  return {
    ...plan,
    permissionSets: sets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    groups: groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    problems: [...plan.problems, ...design.problems, ...entraProblems(input.entra, entries)],
    directSaml: entries,
  };
}

function roleOf(s: Subject) {
  return s.account.roles.find((r) => r.name === s.role)!;
}

/** The account's group for the permission set: the plan's (`<account>/<set key>`), else a new one (mutates `groups`). */
function groupFor(groups: PlannedGroup[], account: AccountSnapshot, ps: PlannedPermissionSet, settings: PlanSettings) {
  const key = `${account.accountId}/${ps.key}`;
  const have = groups.find((g) => g.key === key);
  if (have) return have;
  const base = fill(settings.groupNameTemplate, account.alias ?? account.name, account.accountId, ps.name);
  const name = groups.some((g) => g.name.toLowerCase() === base.toLowerCase()) ? `${base}-${account.accountId}` : base;
  const group: PlannedGroup = {
    key,
    name,
    description: `iam2sso: ${ps.name} on ${account.name} (${account.accountId})`,
    members: [],
    assignments: [{ accountId: account.accountId, permissionSet: ps.name }],
  };
  groups.push(group);
  return group;
}

function entraProblems(entra: DirectSamlEntra | null, entries: PlannedSamlRole[]): PlanProblem[] {
  if (entra?.status !== 'read')
    return [
      {
        id: 'saml.entra-not-read',
        message: `direct SAML roles are planned from the AWS side alone: ${entra?.detail ?? 'the audit did not read Entra'}; run \`iam2sso audit\` with Entra credentials to bring their holders in`,
      },
    ];
  return entries
    .filter((e) => e.members.length === 0)
    .map((e) => ({
      id: 'saml.role-unassigned',
      accountId: e.accountId,
      message: `no Entra app role gives ${e.role} (${e.provider}) to anyone: its permission set has no members`,
    }));
}
