/**
 * What the sandbox's IAM authorization costs per AWS call, on the `large` estate (50 accounts, 5,001 users): the
 * evaluation alone (`authorize`), in process, for the calls an audit and an apply make: the operator (an admin of
 * the management account, no SCPs), a member account's OrganizationAccountAccessRole session (AdministratorAccess
 * under the SCPs of the root, its OU and the account), and a user with group and inline policies. Cached policy
 * sets (the usual case) and a write between every call (the cache resolved again each time) are both timed.
 *
 *   node --conditions=iam2sso-source --import tsx bench/sandbox-authz.ts [--calls 200000]
 */
import { parseArgs } from 'node:util';
import { authorize } from '@iam2sso/sandbox/aws/authz/authorize.js';
import { describePrincipal } from '@iam2sso/sandbox/aws/caller.js';
import type { AwsContext, Caller } from '@iam2sso/sandbox/aws/context.js';
import { buildScenario } from '@iam2sso/sandbox/scenarios/index.js';
import type { Principal, World } from '@iam2sso/sandbox/world/world.js';
import { printBenchHeader } from './machine.js';

const args = parseArgs({ options: { calls: { type: 'string', default: '200000' } } }).values;
const calls = Number(args.calls);

function context(world: World, principal: Principal, accessKeyId: string, service: string, action: string): AwsContext {
  const account = world.account(principal.accountId);
  const caller: Caller = {
    accountId: account.id,
    account,
    principal,
    accessKeyId,
    ...describePrincipal(world, principal),
  };
  return {
    world,
    caller,
    region: world.region,
    service,
    action,
    requestId: 'r',
    sourceIp: '127.0.0.1',
    userAgent: 'bench',
  };
}

function time(label: string, contexts: { ctx: AwsContext; input: Map<string, string> }[], write: (w: World) => void) {
  const start = process.hrtime.bigint();
  let denied = 0;
  for (let i = 0; i < calls; i++) {
    const { ctx, input } = contexts[i % contexts.length];
    write(ctx.world);
    try {
      authorize(ctx, input, 'query');
    } catch {
      denied++;
    }
  }
  const ns = Number(process.hrtime.bigint() - start);
  console.log(`${label}: ${(ns / calls / 1000).toFixed(2)} µs per call (${calls} calls, ${denied} denied)`);
}

printBenchHeader();
const built = buildScenario({ scenario: 'large', seed: 1 } as Parameters<typeof buildScenario>[0]);
const world = built.world;
const managementId = built.manifest.managementAccountId;
const member = built.manifest.accounts.find((a) => a.id !== managementId)!.id;
const operator: Principal = { kind: 'user', accountId: managementId, userName: 'sandbox-operator' };
const role = world.account(member).iam.roles.get('OrganizationAccountAccessRole')!;
const session: Principal = {
  kind: 'role-session',
  accountId: member,
  roleName: role.roleName,
  rolePath: role.path,
  roleId: role.roleId,
  sessionName: 'bench',
  sessionToken: 't',
  expiration: new Date(Date.now() + 3600_000),
  sourceArn: `arn:aws:iam::${managementId}:user/sandbox-operator`,
};
const grouped = [...world.account(member).iam.users.values()].find((u) => u.groups.length && u.inlinePolicies.size)!;
const person: Principal = { kind: 'user', accountId: member, userName: grouped?.userName ?? 'none' };
const user = (name: string) => new Map([['UserName', name]]);
const contexts = [
  { ctx: context(world, operator, 'AKIAOPERATOR', 'iam', 'GetAccountAuthorizationDetails'), input: new Map() },
  { ctx: context(world, session, 'ASIASESSION', 'iam', 'GetCredentialReport'), input: new Map() },
  { ctx: context(world, session, 'ASIASESSION', 'iam', 'ListAccessKeys'), input: user('someone') },
  { ctx: context(world, operator, 'AKIAOPERATOR', 'sso', 'CreateAccountAssignment'), input: new Map() },
  { ctx: context(world, person, 'AKIAPERSON', 'iam', 'CreateUser'), input: user('new-user') },
];
console.log(
  `estate: large (${world.accounts.size} accounts); principals: operator, member-account admin role session, ${person.userName}`,
);
time('cached policy sets', contexts, () => undefined);
time('resolved again every call (a write between calls)', contexts, (w) => {
  w.authzGeneration++;
});
