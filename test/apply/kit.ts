/**
 * Test kit for apply end to end: an in-process sandbox (small scenario), the CLI environment that reaches it
 * (AWS and Entra), audit + plan run through the CLI, a spawnable apply that can be killed, and `expectedState` /
 * `readLiveTruth`, which compare what the plan says with what the real AWS CLI and SDK read back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import {
  IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  ListInstancesCommand,
  paginateListAccountAssignments,
  paginateListPermissionSets,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox, SandboxOptions } from '@iam2sso/sandbox';
import { parse } from 'yaml';
import { awsCli, type CliResult, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { unacknowledgedGaps } from '../../src/core/parity.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { iam2ssoArgv, runIam2sso, sandboxEnv } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type ApplyWorld = {
  sandbox: RunningSandbox;
  dir: string;
  env: Record<string, string>;
  planPath: string;
  statePath: string;
  run(args: string[], timeoutMs?: number): Promise<CliResult>;
  /** `apply --auto-approve` with the world's plan and state, plus `extra` flags. */
  apply(extra?: string[]): Promise<CliResult>;
  /** Starts apply without waiting (to kill it). */
  spawnApply(): ChildProcess;
  plan(): MigrationPlan;
  close(): Promise<void>;
};

/** Starts the sandbox, runs `audit` and `plan` through the CLI, and returns the world. */
export async function startApplyWorld(options: Partial<SandboxOptions> = {}): Promise<ApplyWorld> {
  const sandbox = await startTestSandbox({ scenario: 'small', seed: 1, ...options });
  if (sandbox.world.sso) sandbox.world.sso.asyncDelayMs = 60;
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-apply-'));
  const entra = sandbox.info.entra!;
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, entra.tlsCertificatePem);
  const env = sandboxEnv(sandbox, {
    AZURE_TENANT_ID: entra.tenantId,
    AZURE_CLIENT_ID: entra.clientId,
    AZURE_CLIENT_SECRET: entra.clientSecret,
    AZURE_AUTHORITY_HOST: entra.authorityHost,
    IAM2SSO_GRAPH_ENDPOINT: entra.graphEndpoint,
    NODE_EXTRA_CA_CERTS: caFile,
    IAM2SSO_IDENTITY_CENTER_RPS: '400',
  });
  const planPath = join(dir, 'migration-plan.yaml');
  const statePath = join(dir, 'state.db');
  const run = (args: string[], timeoutMs = 120_000) => runIam2sso(args, env, timeoutMs);
  const audit = await run(['audit', '--state', statePath, '--no-progress']);
  if (audit.status !== 0) throw new Error(`audit failed: ${audit.stderr}`);
  const planned = await run(['plan', '--state', statePath, '--out', planPath]);
  if (planned.status !== 0) throw new Error(`plan failed: ${planned.stderr}`);
  const applyArgs = ['apply', '--auto-approve', '--plan', planPath, '--state', statePath];
  return {
    sandbox,
    dir,
    env,
    planPath,
    statePath,
    run,
    apply: (extra = []) => run([...applyArgs, ...extra]),
    spawnApply: () =>
      spawn(process.execPath, iam2ssoArgv([...applyArgs]), {
        env: { ...env, NODE_PATH: `${ROOT}node_modules` },
        stdio: 'ignore',
      }),
    plan: () => parse(readFileSync(planPath, 'utf8')) as MigrationPlan,
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What the plan says should exist, computed from the plan file alone and Entra's users. Members come from
 * `users[]` (the plan file's source of truth): a user whose action is migrate, with a UPN and no unacknowledged
 * parity gap, is a member of the groups its block lists. `blockedBy` is not used: a hand edit leaves it stale.
 */
export function expectedState(plan: MigrationPlan, sandbox: RunningSandbox) {
  const enabled = new Set(
    [...(sandbox.world.entra?.users.values() ?? [])]
      .filter((u) => u.accountEnabled && !u.deletedDateTime)
      .map((u) => u.userPrincipalName.toLowerCase()),
  );
  const byGroup = new Map<string, Set<string>>();
  for (const u of plan.users) {
    if (u.action !== 'migrate' || !u.upn) continue;
    if (unacknowledgedGaps(u.parity.gaps, u.parity.acknowledged ?? []).length > 0) continue;
    for (const g of u.groups) byGroup.set(g, (byGroup.get(g) ?? new Set()).add(u.upn.toLowerCase()));
  }
  const members = (g: MigrationPlan['groups'][number]) =>
    [...(byGroup.get(g.name) ?? [])].filter((m) => enabled.has(m)).sort();
  return {
    groups: new Map(plan.groups.map((g) => [g.name, members(g)])),
    assignments: plan.groups.flatMap((g) => g.assignments.map((a) => ({ ...a, group: g.name }))),
    permissionSets: new Map(plan.permissionSets.map((p) => [p.name, p])),
  };
}

/** JSON from an AWS CLI run (fails the test with stderr otherwise). */
export function cliJson<T>(r: CliResult): T {
  if (r.status !== 0) throw new Error(`aws cli failed: ${r.stderr}`);
  return r.json<T>();
}

/** Runs `fn` over items, at most `limit` at once. */
async function eachLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Reads Identity Center back: every assignment of every permission set in the given accounts and every group's
 * members through SDK v3; with `cli`, the planned assignments and memberships once more through the AWS CLI v2.
 */
export async function readBack(
  sandbox: RunningSandbox,
  accounts: string[],
  cli: { assignments: { accountId: string; permissionSet: string }[]; groups: string[] } | null,
) {
  const admin = new SSOAdminClient(sdkConfig(sandbox));
  const store = new IdentitystoreClient(sdkConfig(sandbox));
  const inst = (await admin.send(new ListInstancesCommand({}))).Instances![0];
  const InstanceArn = inst.InstanceArn!;
  const IdentityStoreId = inst.IdentityStoreId!;
  const sets: string[] = [];
  for await (const page of paginateListPermissionSets({ client: admin }, { InstanceArn }))
    sets.push(...page.PermissionSets!);
  const psNames = new Map<string, string>();
  for (const arn of sets)
    psNames.set(
      arn,
      (await admin.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn: arn }))).PermissionSet!.Name!,
    );
  const groups: { GroupId?: string; DisplayName?: string }[] = [];
  for await (const page of paginateListGroups({ client: store }, { IdentityStoreId })) groups.push(...page.Groups!);
  const users: { UserId?: string; UserName?: string }[] = [];
  for await (const page of paginateListUsers({ client: store }, { IdentityStoreId })) users.push(...page.Users!);
  const groupName = new Map(groups.map((g) => [g.GroupId!, g.DisplayName!]));
  const groupId = new Map(groups.map((g) => [g.DisplayName!, g.GroupId!]));
  const psArn = new Map([...psNames].map(([arn, name]) => [name, arn]));
  const userName = new Map(users.map((u) => [u.UserId!, u.UserName!.toLowerCase()]));
  const assignments: string[] = [];
  for (const accountId of accounts)
    for (const arn of sets)
      for await (const page of paginateListAccountAssignments(
        { client: admin },
        { InstanceArn, AccountId: accountId, PermissionSetArn: arn },
      ))
        for (const a of page.AccountAssignments!)
          assignments.push(`${accountId}|${psNames.get(arn)}|${groupName.get(a.PrincipalId!) ?? a.PrincipalId}`);
  const memberships = new Map<string, string[]>();
  for (const g of groups) {
    const ids: string[] = [];
    for await (const page of paginateListGroupMemberships({ client: store }, { IdentityStoreId, GroupId: g.GroupId! }))
      for (const m of page.GroupMemberships!) ids.push((m.MemberId as { UserId: string }).UserId);
    memberships.set(g.DisplayName!, ids.map((id) => userName.get(id) ?? id).sort());
  }
  admin.destroy();
  store.destroy();
  const viaCli = { assignments: [] as string[], memberships: new Map<string, string[]>() };
  if (cli) {
    const pairs = [...new Map(cli.assignments.map((a) => [`${a.accountId}|${a.permissionSet}`, a])).values()];
    const found = await eachLimit(pairs, 6, async (a) => {
      const out = cliJson<{ AccountAssignments: { PrincipalId: string }[] }>(
        await awsCli(sandbox, [
          'sso-admin',
          'list-account-assignments',
          '--instance-arn',
          InstanceArn,
          '--account-id',
          a.accountId,
          '--permission-set-arn',
          psArn.get(a.permissionSet) ?? 'missing',
        ]),
      );
      return out.AccountAssignments.map(
        (x) => `${a.accountId}|${a.permissionSet}|${groupName.get(x.PrincipalId) ?? x.PrincipalId}`,
      );
    });
    viaCli.assignments = found.flat();
    const members = await eachLimit(cli.groups, 6, async (name) => {
      const out = cliJson<{ GroupMemberships: { MemberId: { UserId: string } }[] }>(
        await awsCli(sandbox, [
          'identitystore',
          'list-group-memberships',
          '--identity-store-id',
          IdentityStoreId,
          '--group-id',
          groupId.get(name) ?? 'missing',
        ]),
      );
      return out.GroupMemberships.map((m) => userName.get(m.MemberId.UserId) ?? m.MemberId.UserId).sort();
    });
    for (const [i, name] of cli.groups.entries()) viaCli.memberships.set(name, members[i]);
  }
  return {
    permissionSetNames: [...psNames.values()],
    groupNames: groups.map((g) => g.DisplayName!),
    assignments,
    memberships,
    viaCli,
  };
}

/**
 * The AWSReservedSSO_ roles of an account with their attached policy ARNs (AWS and customer managed), inline policy
 * names, session length and permissions boundary ARN, through IAM.
 */
export async function reservedRoles(sandbox: RunningSandbox, accountId: string) {
  let credentials = sdkConfig(sandbox).credentials as {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  };
  if (accountId !== sandbox.info.managementAccountId) {
    const sts = new STSClient(sdkConfig(sandbox));
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'test',
      }),
    );
    const c = out.Credentials!;
    credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
  }
  const iam = new IAMClient({ ...sdkConfig(sandbox), credentials });
  const roles =
    (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-reserved/sso.amazonaws.com/', MaxItems: 1000 }))).Roles ??
    [];
  const out = new Map<
    string,
    { managed: string[]; inline: string[]; maxSessionDuration: number; boundary: string | null }
  >();
  for (const r of roles) {
    const managed =
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: r.RoleName }))).AttachedPolicies ?? [];
    const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName: r.RoleName }))).PolicyNames ?? [];
    const full = (await iam.send(new GetRoleCommand({ RoleName: r.RoleName }))).Role;
    const ps = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(r.RoleName!)?.[1] ?? r.RoleName!;
    out.set(ps, {
      managed: managed.map((p) => p.PolicyArn!).sort(),
      inline,
      maxSessionDuration: r.MaxSessionDuration ?? 0,
      boundary: full?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    });
  }
  iam.destroy();
  return out;
}
