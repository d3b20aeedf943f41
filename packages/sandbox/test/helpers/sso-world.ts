/**
 * Test builder for Identity Center: a sandbox with the instance enabled in the management account,
 * an extra member account to assign to, SDK clients, and polling of asynchronous SSO Admin requests.
 */

import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetProvisioningStatusCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { RunningSandbox } from '../../src/index.js';
import { addAccountToOrganization, createSsoInstance } from '../../src/world/bootstrap.js';
import type { SsoState } from '../../src/world/sso-state.js';
import type { AccountState } from '../../src/world/world.js';
import { sdkConfig, startTestSandbox } from './sandbox.js';

export type SsoWorld = {
  sandbox: RunningSandbox;
  sso: SsoState;
  member: AccountState;
  admin: SSOAdminClient;
  store: IdentitystoreClient;
};

/** Starts a sandbox with Identity Center enabled and a member account `999900000001`. */
export async function startSsoWorld(): Promise<SsoWorld> {
  const sandbox = await startTestSandbox();
  const world = sandbox.world;
  const sso = world.sso ?? createSsoInstance(world, sandbox.info.managementAccountId);
  sso.asyncDelayMs = 150;
  let member = world.accounts.get('999900000001');
  if (!member) {
    member = world.addAccount('999900000001', 'sso-member', 'sso-member@example.com');
    const org = world.organization;
    if (org) addAccountToOrganization(world, member, org.rootId);
  }
  return {
    sandbox,
    sso,
    member,
    admin: new SSOAdminClient(sdkConfig(sandbox)),
    store: new IdentitystoreClient(sdkConfig(sandbox)),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Status = { Status?: string; FailureReason?: string };

async function pollUntilDone(read: () => Promise<Status | undefined>): Promise<Status> {
  for (let i = 0; i < 100; i++) {
    const s = await read();
    if (s && s.Status !== 'IN_PROGRESS') return s;
    await sleep(50);
  }
  throw new Error('asynchronous request did not finish');
}

/** Polls an assignment creation until it is SUCCEEDED or FAILED. */
export function waitForCreation(w: SsoWorld, requestId: string): Promise<Status> {
  return pollUntilDone(async () => {
    const r = await w.admin.send(
      new DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn: w.sso.instanceArn,
        AccountAssignmentCreationRequestId: requestId,
      }),
    );
    return r.AccountAssignmentCreationStatus;
  });
}

/** Polls an assignment deletion until it is SUCCEEDED or FAILED. */
export function waitForDeletion(w: SsoWorld, requestId: string): Promise<Status> {
  return pollUntilDone(async () => {
    const r = await w.admin.send(
      new DescribeAccountAssignmentDeletionStatusCommand({
        InstanceArn: w.sso.instanceArn,
        AccountAssignmentDeletionRequestId: requestId,
      }),
    );
    return r.AccountAssignmentDeletionStatus;
  });
}

/** Polls a permission set provisioning until it is SUCCEEDED or FAILED. */
export function waitForProvisioning(w: SsoWorld, requestId: string): Promise<Status> {
  return pollUntilDone(async () => {
    const r = await w.admin.send(
      new DescribePermissionSetProvisioningStatusCommand({
        InstanceArn: w.sso.instanceArn,
        ProvisionPermissionSetRequestId: requestId,
      }),
    );
    return r.PermissionSetProvisioningStatus;
  });
}

/** Adds a customer managed policy to an account's IAM, as a user would before referencing it in a permission set. */
export function addCustomerPolicy(account: AccountState, name: string, path = '/'): string {
  const arn = `arn:aws:iam::${account.id}:policy${path}${name}`;
  const now = new Date();
  account.iam.policies.set(arn, {
    arn,
    policyName: name,
    policyId: `ANPA${name
      .toUpperCase()
      .replace(/[^A-Z2-7]/g, 'A')
      .padEnd(16, 'A')
      .slice(0, 16)}`,
    path,
    description: '',
    createDate: now,
    updateDate: now,
    versions: [
      {
        versionId: 'v1',
        document: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
        }),
        createDate: now,
        isDefault: true,
      },
    ],
    tags: [],
  });
  return arn;
}
