/**
 * The ports of `breakglass` and `replace`, built from the product's AWS settings: IAM of each account (the base
 * credentials in the caller's account, `assumeRole` in the others, as verification reaches them) and SNS and
 * EventBridge with the same credentials.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { alarmClient, alarmClients } from '../aws/alarm-client.js';
import { type AwsSettings, createBaseClients } from '../aws/clients.js';
import { iamWriter } from '../aws/iam-writer.js';
import { rolesAnywhereClient } from '../aws/rolesanywhere.js';
import { accountIam } from '../verify/account-iam.js';
import type { IamChangePorts } from './ports.js';

/** Ports over real AWS (or the sandbox through the endpoint override). */
export function createIamChangePorts(settings: AwsSettings, assumeRole: string): IamChangePorts {
  const reach = accountIam(settings, assumeRole);
  const base = createBaseClients(settings);
  let caller: Promise<{ accountId: string; partition: string }> | undefined;
  const opened: { destroy(): void }[] = [];
  return {
    iam: async (accountId) => iamWriter(await reach.iamFor(accountId)),
    async alarms(accountId, region) {
      const iam = await reach.iamFor(accountId);
      const clients = alarmClients(settings, region, iam.config.credentials);
      opened.push(clients.sns, clients.events);
      return alarmClient(clients);
    },
    async rolesAnywhere(accountId, region) {
      const iam = await reach.iamFor(accountId);
      const { endpoint, maxAttempts, counter } = settings;
      return rolesAnywhereClient({ region, credentials: iam.config.credentials, endpoint, maxAttempts, counter });
    },
    caller() {
      caller ??= base.sts.send(new GetCallerIdentityCommand({})).then((me) => ({
        accountId: me.Account ?? '',
        partition: me.Arn?.split(':')[1] ?? 'aws',
      }));
      return caller;
    },
    close() {
      reach.close();
      base.sts.destroy();
      base.organizations.destroy();
      for (const c of opened) c.destroy();
    },
  };
}
