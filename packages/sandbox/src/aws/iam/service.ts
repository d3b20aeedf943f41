/** IAM over the AWS Query protocol (version 2010-05-08): every handler of the sandbox's IAM. */
import type { TrailResource } from '../../world/cloudtrail-state.js';
import type { QueryHandler, QueryParams, QueryService } from '../context.js';
import { accountHandlers } from './handlers/account.js';
import { attachmentHandlers } from './handlers/attachments.js';
import { authorizationDetailsHandlers } from './handlers/authorization-details.js';
import { credentialHandlers } from './handlers/credentials.js';
import { groupHandlers } from './handlers/groups.js';
import { instanceProfileHandlers } from './handlers/instance-profiles.js';
import { mfaHandlers } from './handlers/mfa.js';
import { oidcProviderHandlers } from './handlers/oidc-providers.js';
import { passwordPolicyHandlers } from './handlers/password-policy.js';
import { policyHandlers } from './handlers/policies.js';
import { roleHandlers } from './handlers/roles.js';
import { summaryHandlers } from './handlers/summary.js';
import { userKeyHandlers } from './handlers/user-keys.js';
import { userHandlers } from './handlers/users.js';

/** Request parameters that name the resources an IAM call acts on, as LookupEvents lists them. */
const RESOURCE_PARAMS: [string, string][] = [
  ['UserName', 'AWS::IAM::User'],
  ['GroupName', 'AWS::IAM::Group'],
  ['RoleName', 'AWS::IAM::Role'],
  ['PolicyArn', 'AWS::IAM::Policy'],
  ['AccessKeyId', 'AWS::IAM::AccessKey'],
  ['SerialNumber', 'AWS::IAM::MFADevice'],
  ['SAMLProviderArn', 'AWS::IAM::SAMLProvider'],
  ['InstanceProfileName', 'AWS::IAM::InstanceProfile'],
];

function resourcesOf(params: QueryParams): TrailResource[] {
  const out: TrailResource[] = [];
  for (const [param, type] of RESOURCE_PARAMS) {
    const name = params.get(param);
    if (name) out.push({ type, name });
  }
  return out;
}

/** Lets the call's CloudTrail event name the users, keys, roles... it acted on. */
function withTrailResources(handler: QueryHandler): QueryHandler {
  return (ctx, params) => {
    const resources = resourcesOf(params);
    if (resources.length) ctx.trail = { ...ctx.trail, resources };
    return handler(ctx, params);
  };
}

const handlers: Record<string, QueryHandler> = {
  ...userHandlers,
  ...groupHandlers,
  ...roleHandlers,
  ...policyHandlers,
  ...attachmentHandlers,
  ...credentialHandlers,
  ...mfaHandlers,
  ...userKeyHandlers,
  ...accountHandlers,
  ...passwordPolicyHandlers,
  ...authorizationDetailsHandlers,
  ...summaryHandlers,
  ...oidcProviderHandlers,
  ...instanceProfileHandlers,
};

/** The IAM service table for the AWS route. */
export const iamService: QueryService = {
  service: 'iam',
  version: '2010-05-08',
  xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
  handlers: Object.fromEntries(Object.entries(handlers).map(([action, h]) => [action, withTrailResources(h)])),
};
