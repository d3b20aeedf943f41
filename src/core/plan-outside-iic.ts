/**
 * Accounts the plan keeps outside Identity Center (`plan --outside-identity-center ACCOUNT`, or an
 * `outsideIdentityCenter:` entry a person wrote): each keeps or gets direct SAML federation from Entra instead. An
 * account already federated keeps its app, provider and roles (adopted: `adopt: true`), its roles' managed policies
 * and the Entra groups holding them; an account without it gets one role per permission set the plan assigned it,
 * for the same groups. Such an account gets no permission set assignment and no `directSaml` migration entry.
 * Entries already in the plan file are kept as written (the file is the truth). Pure.
 */
import { type DirectSamlEntra, isIdentityCenterProvider, recognizeDirectSaml, roleOfArn } from './direct-saml.js';
import type { AccountSnapshot, AuditSnapshot } from './model.js';
import type {
  MigrationPlan,
  PlannedOutsideAccount,
  PlannedOutsideRole,
  PlannedUser,
  PlanProblem,
} from './plan-types.js';

/** The default SAML provider name for an account that has none yet. */
export const DEFAULT_SAML_PROVIDER = 'EntraID';

/** The account ids the plan keeps outside Identity Center. */
export function outsideAccountIds(plan: Pick<MigrationPlan, 'outsideIdentityCenter'>): Set<string> {
  return new Set((plan.outsideIdentityCenter ?? []).map((o) => o.accountId));
}

const providerName = (arn: string) => arn.slice(arn.indexOf(':saml-provider/') + ':saml-provider/'.length);

/** The account's existing federation as an entry: every role trusting its provider, adopted as it is. */
function fromFederation(account: AccountSnapshot, entra: DirectSamlEntra | null): PlannedOutsideAccount | null {
  const provider = recognizeDirectSaml(account)?.providers.find((p) => !isIdentityCenterProvider(p.arn));
  if (!provider) return null;
  const apps = entra?.status === 'read' ? entra.apps : [];
  const app = apps.find((a) => a.roles.some((r) => r.providerArn === provider.arn));
  const roles: PlannedOutsideRole[] = provider.roles.map((name) => {
    const record = account.roles.find((r) => r.name === name);
    const held = (app?.roles ?? []).filter(
      (r) => r.providerArn === provider.arn && roleOfArn(r.roleArn)?.roleName === name,
    );
    return {
      name,
      policies: (record?.attachedPolicies ?? []).map((p) => p.arn),
      groups: [...new Set(held.flatMap((r) => r.groups.map((g) => g.displayName)))].sort(),
      adopt: true,
    };
  });
  return {
    accountId: account.accountId,
    app: app?.displayName ?? `AWS ${account.alias ?? account.name ?? account.accountId}`,
    provider: providerName(provider.arn),
    adopt: true,
    roles,
  };
}

/** An entry for an account without federation: a role per permission set the plan assigned it, for the same groups. */
function fromAssignments(
  plan: MigrationPlan,
  account: { accountId: string; label: string },
  problems: PlanProblem[],
): PlannedOutsideAccount {
  const roles = new Map<string, PlannedOutsideRole>();
  for (const g of plan.groups)
    for (const a of g.assignments.filter((x) => x.accountId === account.accountId)) {
      const ps = plan.permissionSets.find((p) => p.name === a.permissionSet);
      const role = roles.get(a.permissionSet) ?? {
        name: a.permissionSet,
        policies: ps?.managedPolicies ?? [],
        groups: [],
      };
      if (!role.groups.includes(g.name)) role.groups.push(g.name);
      roles.set(a.permissionSet, role);
      if (ps && (ps.inlinePolicy || ps.customerManagedPolicies.length > 0 || ps.permissionsBoundary))
        problems.push({
          id: 'outside-iic.policy-not-carried',
          accountId: account.accountId,
          message: `role ${ps.name} in ${account.accountId} carries only the managed policies of permission set ${ps.name}: add its inline or customer managed policies to the role by hand`,
        });
    }
  return {
    accountId: account.accountId,
    app: `AWS ${account.label}`,
    provider: DEFAULT_SAML_PROVIDER,
    roles: [...roles.values()],
  };
}

/**
 * The plan with the accounts in `accounts` (and those the previous plan kept outside) kept outside Identity Center:
 * their entries added, their assignments and `directSaml` entries removed.
 */
export function withOutsideIdentityCenter(
  plan: MigrationPlan,
  input: { accounts: string[]; previous: MigrationPlan | null; snapshot: AuditSnapshot; entra: DirectSamlEntra | null },
): MigrationPlan {
  const kept = input.previous?.outsideIdentityCenter ?? [];
  const keptIds = new Set(kept.map((k) => k.accountId));
  const wanted = [...new Set(input.accounts)].filter((id) => !keptIds.has(id));
  if (kept.length === 0 && wanted.length === 0) return plan;
  const problems: PlanProblem[] = [];
  const added = wanted.map((accountId) => {
    const account = input.snapshot.accounts.find((a) => a.accountId === accountId);
    const existing = account ? fromFederation(account, input.entra) : null;
    const label = account?.alias ?? account?.name ?? accountId;
    return existing ?? fromAssignments(plan, { accountId, label }, problems);
  });
  const outside = [...kept, ...added];
  const ids = new Set(outside.map((o) => o.accountId));
  const directSaml = (plan.directSaml ?? []).filter((d) => !ids.has(d.accountId));
  const groups = plan.groups.map((g) => ({ ...g, assignments: g.assignments.filter((a) => !ids.has(a.accountId)) }));
  return {
    ...plan,
    ...withoutUnused(plan, { groups, directSaml }),
    users: plan.users.map((u) => (ids.has(u.accountId) && u.permissionSets.length > 0 ? outsideUser(u) : u)),
    ...(plan.directSaml ? { directSaml } : {}),
    problems: [...plan.problems, ...problems],
    outsideIdentityCenter: outside,
  };
}

/** A user of an account kept outside Identity Center: no permission set there; the groups reach it by SAML roles. */
function outsideUser(u: PlannedUser): PlannedUser {
  const note = `account ${u.accountId} stays outside Identity Center: ${u.permissionSets.join(', ')} there come through the roles of outsideIdentityCenter, for the same groups`;
  return { ...u, permissionSets: [], notes: [...u.notes, note] };
}

/**
 * The permission sets and groups that only replaced direct SAML roles of the accounts now kept outside Identity
 * Center, left out: nothing assigns them and nobody is planned into them.
 */
function withoutUnused(
  plan: MigrationPlan,
  kept: { groups: MigrationPlan['groups']; directSaml: NonNullable<MigrationPlan['directSaml']> },
): Pick<MigrationPlan, 'groups' | 'permissionSets'> {
  const dropped = (plan.directSaml ?? []).filter((d) => !kept.directSaml.includes(d));
  const setsInUse = new Set([
    ...kept.groups.flatMap((g) => g.assignments.map((a) => a.permissionSet)),
    ...plan.users.flatMap((u) => u.permissionSets),
    ...kept.directSaml.flatMap((d) => d.permissionSets),
  ]);
  const groupsInUse = new Set([...plan.users.flatMap((u) => u.groups), ...kept.directSaml.flatMap((d) => d.groups)]);
  const droppedSets = new Set(dropped.flatMap((d) => d.permissionSets).filter((n) => !setsInUse.has(n)));
  const droppedGroups = new Set(dropped.flatMap((d) => d.groups).filter((n) => !groupsInUse.has(n)));
  return {
    permissionSets: plan.permissionSets.filter((p) => !droppedSets.has(p.name)),
    groups: kept.groups.filter((g) => !(droppedGroups.has(g.name) && g.assignments.length === 0)),
  };
}
