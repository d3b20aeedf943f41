/**
 * The work of `iam2sso replace SERVICE_USER`: find the plan's choice for the user, read what is there (the OIDC
 * provider, the role), narrow the policy with what `track` saw the keys call, show the changes, the policy and the
 * owner's pipeline change; with --apply make them through the executor; with --rollback undo a run of them.
 */
import { type AwsOptions, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import type { PlannedServiceAccount } from '../core/plan-types.js';
import { describeChange } from '../core/reconcile/changes.js';
import { isOwnedIamChange, type OwnedIamChange } from '../core/reconcile/changes-breakglass.js';
import {
  GITHUB_OIDC_URL,
  plannedRepository,
  planReplacement,
  REPLACEMENT_POLICY_NAME,
  type ReplaceRequest,
  replacementRoleName,
} from '../core/replace.js';
import { rolesAnywhereName } from '../core/replace-rolesanywhere.js';
import { computeService, pipelineSteps } from '../core/replace-steps.js';
import { UsageError } from '../errors.js';
import type { IamChangePorts, IamWritePort } from '../iam-changes/ports.js';
import { createIamChangePorts } from '../iam-changes/runtime.js';
import { openStateDb, type StateDb } from '../store/db.js';
import { runEntries } from '../store/journal-repo.js';
import { listOwned, stateOwnership } from '../store/ownership-repo.js';
import { listRuns } from '../store/runs-repo.js';
import { loadTimeline } from '../store/track-repo.js';
import { readPlanIfAny, rollbackIamRun, runIamChanges, type WriteFlags } from './iam-changes-run.js';
import { type Io, printJson } from './io.js';
import { rolesAnywhereReplacement } from './replace-rolesanywhere.js';

/** The flags of `iam2sso replace`. */
export type ReplaceFlags = AwsOptions &
  WriteFlags & {
    account?: string;
    plan: string;
    repo?: string;
    branch: string;
    apply: boolean;
    rollback?: string | boolean;
    /** The CA bundle (PEM) a Roles Anywhere trust anchor is made from. */
    caBundle?: string;
    state: string;
    assumeRole: string;
  };

function findServiceAccount(file: string, userName: string, account?: string): PlannedServiceAccount {
  const plan = readPlanIfAny(file);
  if (!plan) throw new UsageError(`no plan file ${file}: run \`iam2sso plan\` first`);
  const found = plan.serviceAccounts.filter((s) => s.userName === userName && (!account || s.accountId === account));
  if (found.length === 0)
    throw new UsageError(
      `${file} has no service account ${userName}${account ? ` in ${account}` : ''}: only users whose action is "replace" are in serviceAccounts`,
    );
  if (found.length > 1)
    throw new UsageError(`${userName} is in ${found.map((s) => s.accountId).join(', ')}: pass --account`);
  return found[0];
}

/** IAM service prefixes the user's keys were seen calling (track's timeline: last service per key). */
function usedServices(db: StateDb, s: PlannedServiceAccount): string[] {
  const subject = `${s.accountId}/${s.userName}`;
  const services = loadTimeline(db)
    .filter((e) => e.subjectKind === 'iam-user' && e.subject === subject && e.usage === 'legacy' && e.lastService)
    .map((e) => e.lastService as string);
  return [...new Set(services)].sort();
}

/** The instance profile of the role's name, read only for an EC2 replacement (null: none). */
async function instanceProfileOf(iam: IamWritePort, s: PlannedServiceAccount, name: string) {
  if (s.recommendation !== 'iam-role-on-compute' || computeService(s.trustPolicy) !== 'ec2.amazonaws.com') return null;
  return iam.getInstanceProfile(name).catch((e) => {
    throw toCloudError(e, 'iam', s.accountId);
  });
}

/**
 * What another run made for this user's replacement and still owns (a run killed after the trust anchor leaves the
 * anchor in its own run; the resumed run makes the rest).
 */
function madeByOtherRuns(db: StateDb, s: PlannedServiceAccount, target: string) {
  const role = `${s.accountId}/${replacementRoleName(s.userName).toLowerCase()}`;
  const ra = rolesAnywhereName(s.userName);
  return listOwned(db).filter(
    (o) =>
      o.runId !== null &&
      o.runId !== target &&
      (((o.kind === 'iam-role' || o.kind === 'iam-instance-profile') && o.key === role) ||
        (o.kind.startsWith('rolesanywhere-') && o.key.startsWith(`${s.accountId}/`) && o.key.endsWith(`/${ra}`))),
  );
}

/** The latest run of `replace` that made something for this user's role. */
function latestReplaceRun(db: StateDb, roleName: string): string {
  const runs = listRuns(db).filter((r) => r.command === 'replace');
  for (const r of runs.reverse()) {
    const touches = runEntries(db, r.runId).some((e) => {
      const c = (e.payload as { change?: OwnedIamChange }).change;
      return c && isOwnedIamChange(c) && 'roleName' in c && c.roleName === roleName;
    });
    if (touches) return r.runId;
  }
  throw new UsageError(`no replace run made ${roleName} (see \`iam2sso runs\`)`);
}

/** What is there for the replacement (the OIDC provider, the role and its policy, the instance profile), as a request. */
async function readReplaceRequest(
  ports: IamChangePorts,
  db: StateDb,
  s: PlannedServiceAccount,
  asked: { region: string; repository: string | null; branch: string },
): Promise<{ request: ReplaceRequest; role: { arn: string; trustPolicy: string } | null }> {
  const roleName = replacementRoleName(s.userName);
  const { partition } = await ports.caller();
  const iam = await ports.iam(s.accountId);
  const [providers, role] = await Promise.all([iam.listOidcProviders(), iam.getRole(roleName)]).catch((e) => {
    throw toCloudError(e, 'iam', s.accountId);
  });
  const owned = stateOwnership(db);
  if (role && !owned.isOwned({ kind: 'iam-role', key: `${s.accountId}/${roleName.toLowerCase()}` }))
    throw new UsageError(
      `IAM role ${roleName} exists in ${s.accountId} and was not made by iam2sso: rename or remove it`,
    );
  const profile = await instanceProfileOf(iam, s, roleName);
  if (profile && !owned.isOwned({ kind: 'iam-instance-profile', key: `${s.accountId}/${roleName.toLowerCase()}` }))
    throw new UsageError(
      `IAM instance profile ${roleName} exists in ${s.accountId} and was not made by iam2sso: rename or remove it`,
    );
  const request: ReplaceRequest = {
    account: s,
    partition,
    ...asked,
    usedServices: usedServices(db, s),
    providerExists: providers.some((arn) => arn.endsWith(`:oidc-provider/${GITHUB_OIDC_URL.replace('https://', '')}`)),
    roleExists: !!role,
    rolePolicy: role ? await iam.getRolePolicy(roleName, REPLACEMENT_POLICY_NAME) : null,
    instanceProfile: profile,
  };
  return { request, role };
}

/** Runs `iam2sso replace`. */
export async function runReplaceCommand(userName: string, flags: ReplaceFlags, io: Io): Promise<void> {
  const settings = await resolveAwsSettings(flags, { note: (line) => io.err(line) });
  const ports = createIamChangePorts(settings, flags.assumeRole);
  const db = await openStateDb(flags.state);
  try {
    const s = findServiceAccount(flags.plan, userName, flags.account);
    const roleName = replacementRoleName(userName);
    if (flags.rollback) {
      const target = typeof flags.rollback === 'string' ? flags.rollback : latestReplaceRun(db, roleName);
      const out = await rollbackIamRun(target, { db, ports, flags: { ...flags, autoApprove: flags.autoApprove }, io });
      if (flags.json) printJson(io, { run: out.runId, target, undone: out.undone, refused: out.refused });
      else io.err(`Rollback of ${target}: ${out.undone} undone, ${out.refused.length} refused.`);
      for (const o of madeByOtherRuns(db, s, target))
        io.err(`note: ${o.kind} ${o.key} was made by run ${o.runId}: \`iam2sso rollback ${o.runId}\` removes it`);
      return;
    }
    const repository = flags.repo ?? plannedRepository(s.trustPolicy);
    const { request, role } = await readReplaceRequest(ports, db, s, {
      region: settings.region,
      repository,
      branch: flags.branch,
    });
    const ra =
      s.recommendation === 'iam-roles-anywhere'
        ? await rolesAnywhereReplacement({ ports, db, request, caBundle: flags.caBundle, apply: flags.apply, role })
        : null;
    const replacement = ra?.replacement ?? planReplacement(request);
    if (replacement.problems.length)
      throw new UsageError(`cannot replace ${userName}: ${replacement.problems.join('; ')}`);
    const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
    show(`${userName} (${s.accountId}): ${s.recommendation} (${s.reason})`);
    for (const n of replacement.notes) show(`note: ${n}`);
    if (replacement.policy) show(`policy of ${roleName}: ${replacement.policy}`);
    let run: string | null = null;
    if (flags.apply)
      run = (
        await runIamChanges('replace', ra?.first ?? replacement.changes, {
          db,
          ports,
          flags,
          io,
          onPassword: () => undefined,
          followUp: ra?.followUp,
        })
      ).runId;
    else {
      for (const c of replacement.changes) show(describeChange(c));
      if (replacement.changes.length) show('Not applied: run again with --apply to make these changes.');
    }
    const steps = pipelineSteps({
      account: s,
      roleArn: replacement.roleArn,
      region: settings.region,
      repository,
      branch: flags.branch,
      rolesAnywhere: ra && !flags.dryRun ? await ra.arns() : undefined,
    });
    if (flags.json)
      printJson(io, {
        user: userName,
        account: s.accountId,
        recommendation: s.recommendation,
        roleArn: replacement.roleArn,
        policy: replacement.policy,
        changes: replacement.changes.map((c) => describeChange(c)),
        applied: flags.apply,
        run,
        steps,
      });
    else {
      io.out('');
      for (const line of steps) io.out(line);
    }
  } finally {
    ports.close();
    db.close();
  }
}
