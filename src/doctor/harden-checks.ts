/**
 * Doctor's checks of `entra harden`'s controls: is there a Conditional Access policy that is on and requires MFA
 * for the AWS app, does iam2sso's policy still cover exactly the plan's groups, and do the plan's privileged groups
 * (administrator or IAM-write access) have standing members (direct members without an active PIM activation)
 * rather than eligible ones.
 */
import { existsSync } from 'node:fs';
import { CA_POLICY_NAME, caGroupsDrift, privilegedGroups } from '../core/harden-plan.js';
import type { MigrationPlan } from '../core/plan-types.js';
import type { EntraAdapter } from '../entra/adapter.js';
import { failureOf } from '../entra/graph-errors.js';
import { graphHardenReader } from '../entra/graph-harden.js';
import type { CaPolicyRecord } from '../entra/harden-ports.js';
import type { EnterpriseApp } from '../entra/ports.js';
import { readPlanFile } from '../plan-file/read.js';
import { type Check, check } from './checks.js';

const FIX_MFA =
  'run `iam2sso entra harden --conditional-access report-only`, review the sign-in log, then `--conditional-access on`';

function requiresMfaFor(p: CaPolicyRecord, appId: string): boolean {
  const apps = p.conditions.applications.includeApplications;
  const mfa =
    (p.grantControls?.builtInControls.includes('mfa') ?? false) || Boolean(p.grantControls?.authenticationStrength);
  return mfa && (apps.includes(appId) || apps.includes('All'));
}

/** Whether a policy that is on requires MFA for the app (`policies`: the tenant's, or the Graph failure). */
function mfaCheck(app: EnterpriseApp, policies: CaPolicyRecord[] | { failure: string }): Check {
  if ('failure' in policies)
    return check('harden.mfa-policy', 'hardening', 'warning', 'MFA policy not checked', policies.failure, FIX_MFA);
  const mine = policies.filter((p) => requiresMfaFor(p, app.appId));
  const on = mine.filter((p) => p.state === 'enabled');
  if (on.length)
    return check(
      'harden.mfa-policy',
      'hardening',
      'ok',
      'MFA required for the AWS app',
      on.map((p) => p.displayName).join(', '),
    );
  const reportOnly = mine.filter((p) => p.state === 'enabledForReportingButNotEnforced');
  return check(
    'harden.mfa-policy',
    'hardening',
    'warning',
    'no MFA policy for the AWS app',
    reportOnly.length
      ? `only report-only: ${reportOnly.map((p) => p.displayName).join(', ')}`
      : `no Conditional Access policy that is on requires MFA for ${app.displayName} (${app.appId})`,
    FIX_MFA,
  );
}

/** Whether iam2sso's MFA policy (if there is one) includes exactly the plan's groups that exist in Entra. */
async function caGroupsCheck(adapter: EntraAdapter, plan: MigrationPlan, policies: CaPolicyRecord[]) {
  const mine = policies.find((p) => p.displayName === CA_POLICY_NAME);
  if (!mine) return null;
  const groups = await adapter.reader.listGroups();
  const ids = new Map(groups.map((g) => [g.displayName.toLowerCase(), g.id]));
  const { missing, extra } = caGroupsDrift(plan, ids, mine.conditions.users.includeGroups);
  if (!missing.length && !extra.length)
    return check('harden.ca-groups', 'hardening', 'ok', "the MFA policy covers the plan's groups", CA_POLICY_NAME);
  const mode = mine.state === 'enabled' ? 'on' : mine.state === 'disabled' ? 'off' : 'report-only';
  return check(
    'harden.ca-groups',
    'hardening',
    'warning',
    "the MFA policy's groups differ from the plan's",
    [
      missing.length ? `left out: ${missing.join(', ')}` : '',
      extra.length ? `not in the plan: ${extra.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
    `run \`iam2sso entra harden --conditional-access ${mode}\`: it sets the policy's groups to the plan's`,
  );
}

/** The plan file's content, or null when there is none or it cannot be read. */
function planOf(planFile: string): MigrationPlan | null {
  if (!existsSync(planFile)) return null;
  return readPlanFile(planFile, { quota: 25, strict: false }).plan ?? null;
}

/** Privileged groups with standing members, from the plan. */
async function standingCheck(adapter: EntraAdapter, plan: MigrationPlan, planFile: string): Promise<Check> {
  const harden = graphHardenReader(adapter.graph);
  const standing: string[] = [];
  for (const s of privilegedGroups(plan).settings) {
    const found = (await adapter.reader.findGroupsByName(s.group)).filter((g) => g.displayName === s.group);
    if (found.length !== 1) continue;
    const id = found[0].id;
    const active = await harden.activeAssignments(id).catch(() => []);
    const activated = new Set(active.map((a) => a.principalId));
    const direct = (await adapter.reader.directMembersOf([id])).get(id) ?? [];
    const count = direct.filter((m) => m.type === 'user' && !activated.has(m.id)).length;
    if (count) standing.push(`${s.group} (${count})`);
  }
  if (!standing.length)
    return check('harden.standing-admins', 'hardening', 'ok', 'no standing members in privileged groups', planFile);
  return check(
    'harden.standing-admins',
    'hardening',
    'warning',
    'privileged groups have standing members',
    standing.join(', '),
    'run `iam2sso entra harden --pim`: members become eligible and activate for a few hours when they need it',
  );
}

/** The tenant's Conditional Access policies, or what Graph answered instead. */
async function readPolicies(adapter: EntraAdapter): Promise<CaPolicyRecord[] | { failure: string }> {
  try {
    return await graphHardenReader(adapter.graph).listPolicies();
  } catch (error) {
    const f = failureOf(error);
    if (!f) throw error;
    return { failure: `Graph answered ${f.status} ${f.code}: ${f.message}` };
  }
}

/** The hardening checks (the MFA policy; with a plan file, its groups and standing admins). */
export async function hardenChecks(adapter: EntraAdapter, app: EnterpriseApp, planFile: string): Promise<Check[]> {
  const policies = await readPolicies(adapter);
  const out = [mfaCheck(app, policies)];
  const plan = planOf(planFile);
  if (!plan) return out;
  if (!('failure' in policies)) {
    const groups = await caGroupsCheck(adapter, plan, policies);
    if (groups) out.push(groups);
  }
  out.push(await standingCheck(adapter, plan, planFile));
  return out;
}
