/**
 * Test builder: a small organization made directly in a World (management account, member accounts,
 * OrganizationAccountAccessRole, a few IAM users with keys and AdministratorAccess), served by the real sandbox routes.
 */
import type { RunningSandbox } from '../../src/index.js';
import { makeAwsId } from '../../src/rng.js';
import { sandboxRoutes } from '../../src/routes.js';
import type { SandboxContext } from '../../src/sandbox-context.js';
import { startServer } from '../../src/server/server.js';
import { addAccountToOrganization, addOrganizationalUnit, createOrganization } from '../../src/world/bootstrap.js';
import { type IamRole, newIamUser } from '../../src/world/iam-state.js';
import { type AccountState, World } from '../../src/world/world.js';

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type OrgWorldOptions = {
  /** Member accounts to create (default 2), all under one OU named "Workloads". */
  members?: number;
  /** IAM users per account (default 2), named `<account name>-user-<n>`. */
  usersPerAccount?: number;
  /** Make the organization (default true); false leaves a lone management account. */
  organization?: boolean;
  /** An account outside the organization, with a user of its own (default true). */
  outsider?: boolean;
};

export type OrgWorld = {
  world: World;
  management: AccountState;
  members: AccountState[];
  outsider?: AccountState;
  workloadsOuId?: string;
  /** An AdministratorAccess user of the management account. */
  operator: Credentials;
};

/** Trust policy that lets the management account's principals assume a role, as Organizations creates it. */
export function trustAccount(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }],
  });
}

/** Adds a role to an account's IAM. */
export function addRole(
  world: World,
  account: AccountState,
  roleName: string,
  trustPolicy: string,
  options: { path?: string; maxSessionDuration?: number } = {},
): IamRole {
  const role: IamRole = {
    roleName,
    roleId: makeAwsId(world.rng, 'AROA'),
    path: options.path ?? '/',
    createDate: world.clock.now(),
    assumeRolePolicyDocument: trustPolicy,
    description: '',
    maxSessionDuration: options.maxSessionDuration ?? 3600,
    attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    inlinePolicies: new Map(),
    tags: [],
  };
  account.iam.roles.set(roleName, role);
  return role;
}

/** Adds an IAM user with one active access key and returns the key. */
export function addUserWithKey(world: World, account: AccountState, userName: string): Credentials {
  const user = newIamUser(userName, makeAwsId(world.rng, 'AIDA'), world.clock.now());
  const key = world.issueAccessKey(account.id, userName, world.clock.now());
  user.accessKeys.push(key);
  account.iam.users.set(userName, user);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

/** Builds the world: ids 111111111111 (management), 222222222222, 222222222223... (members), 999999999999 (outsider). */
export function buildOrgWorld(options: OrgWorldOptions = {}): OrgWorld {
  const world = new World({ seed: 7 });
  const management = world.addAccount('111111111111', 'management', 'aws-management@example.com');
  const operator = addUserWithKey(world, management, 'sandbox-operator');
  management.iam.users.get('sandbox-operator')!.attachedPolicies.push('arn:aws:iam::aws:policy/AdministratorAccess');
  const members: AccountState[] = [];
  let workloadsOuId: string | undefined;
  if (options.organization !== false) {
    const org = createOrganization(world, management);
    workloadsOuId = addOrganizationalUnit(world, 'Workloads', org.rootId);
    for (let i = 0; i < (options.members ?? 2); i++) {
      const id = String(222_222_222_222 + i);
      const member = world.addAccount(id, `member-${i + 1}`, `aws-member-${i + 1}@example.com`);
      addAccountToOrganization(world, member, workloadsOuId);
      addRole(world, member, 'OrganizationAccountAccessRole', trustAccount(management.id));
      members.push(member);
    }
  }
  // The users are admins of their accounts, so that tests see each service's own answers (trust policies,
  // Organizations' member checks); the sandbox's IAM authorization is tested on its own.
  const admin = (account: AccountState, userName: string) => {
    addUserWithKey(world, account, userName);
    account.iam.users.get(userName)!.attachedPolicies.push('arn:aws:iam::aws:policy/AdministratorAccess');
  };
  for (const account of [management, ...members]) {
    for (let n = 1; n <= (options.usersPerAccount ?? 2); n++) admin(account, `${account.name}-user-${n}`);
  }
  let outsider: AccountState | undefined;
  if (options.outsider !== false) {
    outsider = world.addAccount('999999999999', 'outsider', 'someone-else@example.com');
    admin(outsider, 'outsider-user');
  }
  return { world, management, members, outsider, workloadsOuId, operator };
}

/** Serves a built world on a free port with the sandbox's real routes. */
export async function serveOrgWorld(built: OrgWorld): Promise<RunningSandbox> {
  const accounts = [...built.world.accounts.values()].map(({ id, name, email }) => ({ id, name, email }));
  const manifestAccounts = accounts.map((a) => ({ ...a, ou: '', rootTraits: [] }));
  const context: SandboxContext = {
    world: built.world,
    // Cast: the manifest describes generated scenarios; this builder fills only what the routes read.
    manifest: {
      seed: 7,
      scenario: 'org-world',
      domain: 'example.com',
      managementAccountId: built.management.id,
      accounts: manifestAccounts,
      users: [],
    } as SandboxContext['manifest'],
    operator: built.operator,
    endpoint: '',
  };
  const server = await startServer(sandboxRoutes(context), 0);
  context.endpoint = server.url;
  const info = {
    endpoint: server.url,
    region: built.world.region,
    managementAccountId: built.management.id,
    accounts,
    credentials: { accessKeyId: built.operator.accessKeyId, secretAccessKey: built.operator.secretAccessKey },
  };
  return Object.assign(context, { info, close: () => server.close() });
}

/** Credentials of one user built by `buildOrgWorld`, found by account and user name. */
export function userCredentials(world: World, accountId: string, userName: string): Credentials {
  const key = world.account(accountId).iam.users.get(userName)?.accessKeys[0];
  if (!key) throw new Error(`no key for ${userName} in ${accountId}`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}
