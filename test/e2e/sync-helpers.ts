/**
 * Helpers for the sync end-to-end tests: the CLI's environment for both clouds of a sandbox (the sandbox's TLS
 * certificate trusted through NODE_EXTRA_CA_CERTS), what the Identity Store holds as the AWS CLI lists it, and
 * what it should hold according to the sandbox's Entra tenant.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { findUser, transitiveMemberIds } from '@iam2sso/sandbox/entra/directory.js';
import { awsCli, sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { sandboxEnv } from '../helpers/cli.js';

/** A temporary directory with the state database path and the environment for `iam2sso sync`. */
export function syncEnv(sandbox: RunningSandbox): { dir: string; state: string; env: Record<string, string> } {
  const entra = sandbox.info.entra!;
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-sync-'));
  const ca = join(dir, 'sandbox-ca.pem');
  writeFileSync(ca, entra.tlsCertificatePem);
  const env = sandboxEnv(sandbox, sandboxClientEnv(sandbox.info, ca));
  return { dir, state: join(dir, 'state.db'), env };
}

async function cliJson<T>(sandbox: RunningSandbox, args: string[]): Promise<T> {
  const r = await awsCli(sandbox, args);
  if (r.status !== 0) throw new Error(`aws ${args.join(' ')} failed: ${r.stderr}`);
  return r.json<T>();
}

/** Group name to the sorted userNames of its members, as `aws identitystore list-group-memberships` shows. */
export async function storeMembershipsByCli(sandbox: RunningSandbox): Promise<Map<string, string[]>> {
  const storeId = sandbox.world.sso!.identityStoreId;
  const { Users } = await cliJson<{ Users: { UserId: string; UserName: string }[] }>(sandbox, [
    'identitystore',
    'list-users',
    '--identity-store-id',
    storeId,
  ]);
  const names = new Map(Users.map((u) => [u.UserId, u.UserName]));
  const { Groups } = await cliJson<{ Groups: { GroupId: string; DisplayName: string }[] }>(sandbox, [
    'identitystore',
    'list-groups',
    '--identity-store-id',
    storeId,
  ]);
  const out = new Map<string, string[]>();
  for (const g of Groups) {
    const { GroupMemberships } = await cliJson<{ GroupMemberships: { MemberId: { UserId: string } }[] }>(sandbox, [
      'identitystore',
      'list-group-memberships',
      '--identity-store-id',
      storeId,
      '--group-id',
      g.GroupId,
    ]);
    out.set(g.DisplayName, GroupMemberships.map((m) => names.get(m.MemberId.UserId) ?? m.MemberId.UserId).sort());
  }
  return out;
}

/** The same view through the AWS SDK v3 (faster than a CLI process per call, for the checks in between). */
export async function storeMembershipsBySdk(sandbox: RunningSandbox): Promise<Map<string, string[]>> {
  const client = new IdentitystoreClient(sdkConfig(sandbox));
  const IdentityStoreId = sandbox.world.sso!.identityStoreId;
  const names = new Map<string, string>();
  for await (const page of paginateListUsers({ client }, { IdentityStoreId }))
    for (const u of page.Users ?? []) names.set(u.UserId!, u.UserName!);
  const out = new Map<string, string[]>();
  for await (const page of paginateListGroups({ client }, { IdentityStoreId })) {
    for (const g of page.Groups ?? []) {
      const members: string[] = [];
      for await (const m of paginateListGroupMemberships({ client }, { IdentityStoreId, GroupId: g.GroupId! }))
        for (const gm of m.GroupMemberships ?? []) {
          const userId = gm.MemberId && 'UserId' in gm.MemberId ? gm.MemberId.UserId! : '';
          members.push(names.get(userId) ?? userId);
        }
      out.set(g.DisplayName!, members.sort());
    }
  }
  client.destroy();
  return out;
}

/** Group name to the sorted UPNs of its enabled transitive user members, from the sandbox's tenant. */
export function expectedMemberships(sandbox: RunningSandbox, groupNames: string[]): Map<string, string[]> {
  const entra = sandbox.world.entra!;
  const out = new Map<string, string[]>();
  for (const name of groupNames) {
    const group = [...entra.groups.values()].find((g) => g.displayName === name && !g.deletedDateTime)!;
    const upns = transitiveMemberIds(entra, group)
      .map((id) => findUser(entra, id))
      .filter((u) => u?.accountEnabled)
      .map((u) => u!.userPrincipalName)
      .sort();
    out.set(name, upns);
  }
  return out;
}
