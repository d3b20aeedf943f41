/**
 * What an AWS call asks for, in IAM's terms: the action (`iam:CreateUser`: the service prefix and the operation),
 * the resource ARN it acts on, and the condition keys of the request context.
 * Reference: Service Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/)
 * for the prefixes (iam, sts, sso, identitystore, organizations, cloudtrail, athena) and the IAM resource types.
 */
import { iamArn } from '../../world/iam-state.js';
import type { AwsContext, Caller } from '../context.js';
import { instanceProfileArn, instanceProfilesOf } from '../iam/ops/instance-profiles.js';
import type { RequestContext } from './conditions.js';
import type { PolicySet } from './principal-policies.js';

/** IAM operations that act on the calling user when they name no user. */
const SELF_USER_ACTIONS = new Set([
  'GetUser',
  'ListAccessKeys',
  'CreateAccessKey',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'ChangePassword',
  'ListSigningCertificates',
  'ListSSHPublicKeys',
  'ListServiceSpecificCredentials',
  'ListMFADevices',
]);

/** IAM operations whose resource is the group even though they also name a user. */
const GROUP_ACTIONS = new Set(['AddUserToGroup', 'RemoveUserFromGroup']);

function text(input: ReadonlyMap<string, string> | Record<string, unknown>, name: string): string | undefined {
  const value = input instanceof Map ? input.get(name) : (input as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function iamResource(ctx: AwsContext, input: ReadonlyMap<string, string>): string {
  const { accountId, account } = ctx.caller;
  const group = text(input, 'GroupName');
  if (group && GROUP_ACTIONS.has(ctx.action)) {
    return iamArn(accountId, 'group', account.iam.groups.get(group)?.path ?? text(input, 'Path') ?? '/', group);
  }
  const profile = text(input, 'InstanceProfileName');
  if (profile && ctx.action !== 'ListInstanceProfilesForRole') {
    const path = instanceProfilesOf(account.iam).get(profile)?.path ?? text(input, 'Path') ?? '/';
    return instanceProfileArn(accountId, { path, name: profile });
  }
  const user = text(input, 'UserName');
  if (user) return iamArn(accountId, 'user', account.iam.users.get(user)?.path ?? text(input, 'Path') ?? '/', user);
  const role = text(input, 'RoleName');
  if (role) return iamArn(accountId, 'role', account.iam.roles.get(role)?.path ?? text(input, 'Path') ?? '/', role);
  if (group)
    return iamArn(accountId, 'group', account.iam.groups.get(group)?.path ?? text(input, 'Path') ?? '/', group);
  const policyArn = text(input, 'PolicyArn');
  if (policyArn) return policyArn;
  const policyName = text(input, 'PolicyName');
  if (policyName && ctx.action === 'CreatePolicy')
    return iamArn(accountId, 'policy', text(input, 'Path') ?? '/', policyName);
  for (const name of ['SAMLProviderArn', 'SerialNumber', 'OpenIDConnectProviderArn']) {
    const arn = text(input, name);
    if (arn?.startsWith('arn:')) return arn;
  }
  if (SELF_USER_ACTIONS.has(ctx.action) && ctx.caller.principal.kind === 'user') return ctx.caller.arn;
  return '*';
}

/** The resource ARN of a request, or `*` for operations (and services) without resource-level permissions here. */
export function requestResource(ctx: AwsContext, input: unknown): string {
  if (ctx.service === 'iam' && input instanceof Map) return iamResource(ctx, input);
  if (ctx.service === 'sts' && input instanceof Map) return text(input, 'RoleArn') ?? '*';
  return '*';
}

/**
 * The role a call passes, which IAM also authorizes as `iam:PassRole` on that role: "The caller of this operation
 * must be granted the PassRole permission on the IAM role" (IAM API Reference, API_AddRoleToInstanceProfile.html).
 */
export function passedRole(ctx: AwsContext, input: unknown): string | null {
  if (ctx.service !== 'iam' || ctx.action !== 'AddRoleToInstanceProfile' || !(input instanceof Map)) return null;
  const role = text(input, 'RoleName');
  if (!role) return null;
  return iamArn(ctx.caller.accountId, 'role', ctx.caller.account.iam.roles.get(role)?.path ?? '/', role);
}

/** The action name IAM policies use for this call. */
export function requestAction(ctx: AwsContext): string {
  return `${ctx.service}:${ctx.action}`;
}

function principalType(caller: Caller): string {
  if (caller.principal.kind === 'user') return 'User';
  if (caller.principal.kind === 'role-session') return 'AssumedRole';
  return 'Account';
}

/**
 * The global condition keys the sandbox knows for a request (lower-cased names), worked out only when a statement
 * has a condition or a policy variable (most calls are decided without them).
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export function requestContext(ctx: AwsContext, policies: PolicySet): RequestContext {
  let keys: Map<string, string> | undefined;
  return {
    get(key) {
      if (!keys) keys = contextKeys(ctx, policies);
      return keys.get(key);
    },
  };
}

function contextKeys(ctx: AwsContext, policies: PolicySet): Map<string, string> {
  const { caller, world } = ctx;
  const keys = new Map<string, string>([
    ['aws:principalarn', policies.principalArn],
    ['aws:principalaccount', caller.accountId],
    ['aws:principaltype', principalType(caller)],
    ['aws:userid', caller.userId],
    ['aws:requestedregion', ctx.region],
    ['aws:securetransport', 'true'],
    ['aws:principalisawsservice', 'false'],
    ['aws:viaawsservice', 'false'],
  ]);
  if (caller.principal.kind === 'user') keys.set('aws:username', caller.principal.userName);
  const org = world.organization;
  if (org?.accounts.has(caller.accountId)) keys.set('aws:principalorgid', org.id);
  for (const tag of policies.tags) keys.set(`aws:principaltag/${tag.key.toLowerCase()}`, tag.value);
  return keys;
}
