/**
 * IAM clients for the accounts verification reads: the base credentials for the caller's own account (the
 * management account, usually), AssumeRole into the given role for every other one.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { assumeRoleCredentials, roleArn } from '../aws/accounts.js';
import { type AwsSettings, createAccountClients, createBaseClients, destroyClients } from '../aws/clients.js';

/** IAM clients by account, created on first use; `close` releases them all. */
export type AccountIam = { iamFor(accountId: string): Promise<IAMClient>; close(): void };

/** Reaches each account's IAM: base credentials in the caller's account, `assumeRole` elsewhere. */
export function accountIam(settings: AwsSettings, assumeRole: string): AccountIam {
  const base = createBaseClients(settings);
  const clients = new Map<string, Promise<ReturnType<typeof createAccountClients>>>();
  let caller: Promise<{ accountId: string; partition: string }> | undefined;
  const whoAmI = () => {
    caller ??= base.sts.send(new GetCallerIdentityCommand({})).then((me) => ({
      accountId: me.Account ?? '',
      partition: me.Arn?.split(':')[1] ?? 'aws',
    }));
    return caller;
  };
  const open = async (accountId: string) => {
    const me = await whoAmI();
    if (accountId === me.accountId) return createAccountClients(settings);
    const credentials = await assumeRoleCredentials(
      base.sts,
      roleArn(me.partition, accountId, assumeRole),
      'iam2sso-verify',
    );
    return createAccountClients(settings, credentials);
  };
  return {
    async iamFor(accountId) {
      let hit = clients.get(accountId);
      if (!hit) {
        hit = open(accountId);
        clients.set(accountId, hit);
        hit.catch(() => clients.delete(accountId));
      }
      return (await hit).iam;
    },
    close() {
      for (const c of clients.values()) c.then((x) => destroyClients(x)).catch(() => undefined);
      destroyClients(base);
    },
  };
}
