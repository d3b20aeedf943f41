/**
 * Doctor's checks of `entra harden`'s controls: is there a Conditional Access policy that is on and requires MFA
 * for the AWS app, and do the plan's privileged groups (administrator or IAM-write access) have standing members
 * (direct members without an active PIM activation) rather than eligible ones.
 */
import { existsSync } from 'node:fs';
import { privilegedGroups } from '../core/harden-plan.js';
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

/** Whether a policy that is on requires MFA for the app. */
async function mfaCheck(adapter: EntraAdapter, app: EnterpriseApp): Promise<Check> {
  let policies: CaPolicyRecord[];
  try {
    policies = await graphHardenReader(adapter.graph).listPolicies();
  } catch (error) {
    const f = failureOf(error);
    if (!f) throw error;
    return check(
      'harden.mfa-policy',
      'hardening',
      'warning',
      'MFA policy not checked',
      `Graph answered ${f.status} ${f.code}: ${f.message}`,
      FIX_MFA,
    );
  }
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

/** Privileged groups with standing members, from the plan file. */
async function standingCheck(adapter: EntraAdapter, planFile: string): Promise<Check | null> {
  if (!existsSync(planFile)) return null;
  const read = readPlanFile(planFile, { quota: 25, strict: false });
  if (!read.plan) return null;
  const harden = graphHardenReader(adapter.graph);
  const standing: string[] = [];
  for (const s of privilegedGroups(read.plan).settings) {
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

/** The hardening checks (the MFA policy; standing admins when a plan file is there). */
export async function hardenChecks(adapter: EntraAdapter, app: EnterpriseApp, planFile: string): Promise<Check[]> {
  const out = [await mfaCheck(adapter, app)];
  const standing = await standingCheck(adapter, planFile);
  if (standing) out.push(standing);
  return out;
}
