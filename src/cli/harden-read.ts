/**
 * The reads of `entra harden`: the AWS enterprise app, the plan's groups and people in Entra, the tool's
 * Conditional Access policy, and each privileged group's eligible, activated and standing members. A licence
 * refusal (Graph 403 naming the licence) is a note and an empty half, so the other half still runs.
 */
import type { CaLive, PimGroupLive } from '../core/harden-plan.js';
import { CA_POLICY_NAME } from '../core/harden-plan.js';
import type { MigrationPlan, PrivilegedGroupSetting } from '../core/plan-types.js';
import type { Approver } from '../core/reconcile/changes-harden.js';
import { eligibilityKey } from '../core/reconcile/changes-harden.js';
import type { EntraAdapter } from '../entra/adapter.js';
import { failureOf } from '../entra/graph-errors.js';
import type { HardenReader } from '../entra/harden-ports.js';
import { AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME } from '../entra/setup-plan.js';
import { UsageError } from '../errors.js';
import type { Ownership } from '../store/ownership-repo.js';

/** The licence a refusal names, or null when the error is something else. */
export function licenceRefusal(error: unknown): string | null {
  const f = failureOf(error);
  if (!f) return null;
  if (f.status !== 403) return null;
  return /licen[cs]e|premium/i.test(`${f.code} ${f.message}`) ? f.message : null;
}

/** The AWS enterprise app `entra setup` made (exactly one). */
export async function readAwsApp(entra: EntraAdapter, appName = DEFAULT_APP_NAME): Promise<{ appId: string }> {
  const apps = await entra.apps.findApps(appName, AWS_GALLERY_TEMPLATE_ID);
  if (apps.length !== 1)
    throw new UsageError(
      `${apps.length} enterprise apps are named '${appName}': run \`iam2sso entra setup\` first, or pass --app-name`,
    );
  return { appId: apps[0].appId };
}

/** The Conditional Access half of the live read; null (with a note) when the tenant has no licence for it. */
export async function readCaLive(
  entra: EntraAdapter,
  harden: HardenReader,
  plan: MigrationPlan,
  emergency: string[],
  owned: Ownership,
  note: (line: string) => void,
): Promise<CaLive | null> {
  let policies: Awaited<ReturnType<HardenReader['listPolicies']>>;
  try {
    policies = await harden.listPolicies();
  } catch (error) {
    const licence = licenceRefusal(error);
    if (!licence) throw error;
    note(
      `Conditional Access skipped: the tenant is not licensed for it (${licence}). Microsoft Entra ID P1 is needed.`,
    );
    return null;
  }
  const { appId } = await readAwsApp(entra);
  const groups = await entra.reader.listGroups();
  const groupIds = new Map(groups.map((g) => [g.displayName.toLowerCase(), g.id]));
  const breakGlass = plan.users.filter((u) => u.category === 'break-glass' && u.upn).map((u) => u.upn!);
  const excludeUserIds: string[] = [];
  for (const upn of [...new Set([...emergency, ...breakGlass])]) {
    const user = await entra.reader.findUserByUpn(upn);
    if (user) excludeUserIds.push(user.id);
    else note(`emergency-access account ${upn} is not in Entra: nothing to exclude`);
  }
  const mine = policies.filter((p) => p.displayName === CA_POLICY_NAME);
  if (mine.length > 1) throw new UsageError(`${mine.length} Conditional Access policies are named '${CA_POLICY_NAME}'`);
  const existing = mine[0]
    ? {
        state: mine[0].state,
        owned: owned.isOwned({ kind: 'ca-policy', key: CA_POLICY_NAME.toLowerCase() }),
        includeGroups: mine[0].conditions.users.includeGroups,
      }
    : null;
  return { appId, groupIds, excludeUserIds, existing };
}

/** The PIM half of the live read, by lower-cased group name; null (with a note) without the licence. */
export async function readPimLive(
  entra: EntraAdapter,
  harden: HardenReader,
  settings: PrivilegedGroupSetting[],
  owned: Ownership,
  note: (line: string) => void,
): Promise<Map<string, PimGroupLive> | null> {
  const out = new Map<string, PimGroupLive>();
  const upnOf = new Map((await entra.reader.listUsers()).map((u) => [u.id, u.userPrincipalName.toLowerCase()]));
  for (const s of settings) {
    const found = (await entra.reader.findGroupsByName(s.group)).filter((g) => g.displayName === s.group);
    if (found.length !== 1) continue;
    const id = found[0].id;
    let eligible: Awaited<ReturnType<HardenReader['eligibilities']>>;
    let active: Awaited<ReturnType<HardenReader['activeAssignments']>>;
    let rules: Awaited<ReturnType<HardenReader['activationRules']>>;
    try {
      [eligible, active, rules] = await Promise.all([
        harden.eligibilities(id),
        harden.activeAssignments(id),
        harden.activationRules(id),
      ]);
    } catch (error) {
      const licence = licenceRefusal(error);
      if (!licence) throw error;
      note(
        `PIM skipped: the tenant is not licensed for it (${licence}). Microsoft Entra ID P2 or ID Governance is needed.`,
      );
      return null;
    }
    const direct = (await entra.reader.directMembersOf([id])).get(id) ?? [];
    const activeIds = new Set(active.map((a) => a.principalId));
    const upns = (ids: string[]) => new Set(ids.flatMap((i) => upnOf.get(i) ?? []));
    const eligibleUpns = upns(eligible.map((e) => e.principalId));
    out.set(s.group.toLowerCase(), {
      eligible: eligibleUpns,
      standing: upns(direct.filter((m) => m.type === 'user' && !activeIds.has(m.id)).map((m) => m.id)),
      rules: rules
        ? { maxActivation: rules.maxActivation, justification: rules.justification, approval: rules.approval }
        : null,
      ownedEligible: new Set(
        [...eligibleUpns].filter((upn) =>
          owned.isOwned({ kind: 'pim-eligibility', key: eligibilityKey(s.group, upn) }),
        ),
      ),
    });
  }
  return out;
}

/**
 * The approvers of each privileged group (by lower-cased group name) as Entra object ids: a UPN names a user, any
 * other text a group whose members approve. An approver Entra does not know is bad input: refused, naming the plan.
 */
export async function resolveApprovers(
  entra: EntraAdapter,
  settings: PrivilegedGroupSetting[],
  planFile: string,
): Promise<Map<string, Approver[]>> {
  const out = new Map<string, Approver[]>();
  const unknown: string[] = [];
  for (const s of settings) {
    const approvers: Approver[] = [];
    for (const name of s.approvers ?? []) {
      if (name.includes('@')) {
        const user = await entra.reader.findUserByUpn(name);
        if (user) approvers.push({ kind: 'user', id: user.id });
        else unknown.push(`${s.group}: no Entra user ${name}`);
        continue;
      }
      const groups = (await entra.reader.findGroupsByName(name)).filter((g) => g.displayName === name);
      if (groups.length === 1) approvers.push({ kind: 'group', id: groups[0].id });
      else unknown.push(`${s.group}: ${groups.length} Entra groups named ${name}`);
    }
    out.set(s.group.toLowerCase(), approvers);
  }
  if (unknown.length)
    throw new UsageError(
      `privilegedAccess approvers in ${planFile} that Entra does not know (fix them, then run again): ${unknown.join('; ')}`,
    );
  return out;
}
