/** IAM Query handlers for attaching managed policies and for inline policies of users, groups and roles. */
import type { QueryHandler, QueryParams } from '../../context.js';
import { requireParam } from '../../query.js';
import {
  attachPolicy,
  deleteInlinePolicy,
  detachPolicy,
  getInlinePolicy,
  guardModifiableRole,
  type IamScope,
  type IdentityKind,
  putInlinePolicy,
  requireIdentity,
  requireRole,
} from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { attachedPoliciesXml, encodeDocument } from '../shapes.js';
import { checkPathPrefix } from '../validate.js';
import { scopeOf } from './common.js';

const KINDS: { kind: IdentityKind; noun: 'User' | 'Group' | 'Role' }[] = [
  { kind: 'user', noun: 'User' },
  { kind: 'group', noun: 'Group' },
  { kind: 'role', noun: 'Role' },
];

function policyPath(arn: string): string {
  const rest = arn.slice(arn.indexOf(':policy') + ':policy'.length);
  return rest.slice(0, rest.lastIndexOf('/') + 1) || '/';
}

/** Changes to reserved roles (Identity Center's) are refused as IAM refuses them. */
function guardChange(scope: IamScope, kind: IdentityKind, name: string): void {
  if (kind === 'role') guardModifiableRole(requireRole(scope.account.iam, name));
}

function handlersFor(kind: IdentityKind, noun: 'User' | 'Group' | 'Role'): Record<string, QueryHandler> {
  const nameParam = `${noun}Name`;
  const name = (params: QueryParams) => requireParam(params, nameParam);
  return {
    [`Attach${noun}Policy`]: (ctx, params) => {
      const scope = scopeOf(ctx);
      guardChange(scope, kind, name(params));
      attachPolicy(scope, kind, name(params), requireParam(params, 'PolicyArn'));
      return {};
    },
    [`Detach${noun}Policy`]: (ctx, params) => {
      const scope = scopeOf(ctx);
      guardChange(scope, kind, name(params));
      detachPolicy(scope, kind, name(params), requireParam(params, 'PolicyArn'));
      return {};
    },
    [`ListAttached${noun}Policies`]: (ctx, params) => {
      const identity = requireIdentity(scopeOf(ctx), kind, name(params));
      const prefix = checkPathPrefix(params.get('PathPrefix'));
      const page = pageOf(
        identity.attachedPolicies.filter((arn) => policyPath(arn).startsWith(prefix)),
        params,
      );
      return { AttachedPolicies: attachedPoliciesXml(page.items), ...pageFields(page) };
    },
    [`Put${noun}Policy`]: (ctx, params) => {
      const scope = scopeOf(ctx);
      guardChange(scope, kind, name(params));
      putInlinePolicy(
        scope,
        kind,
        name(params),
        requireParam(params, 'PolicyName'),
        requireParam(params, 'PolicyDocument'),
      );
      return {};
    },
    [`Get${noun}Policy`]: (ctx, params) => {
      const scope = scopeOf(ctx);
      const identity = requireIdentity(scope, kind, name(params));
      const policyName = requireParam(params, 'PolicyName');
      const document = getInlinePolicy(scope, kind, identity.name, policyName);
      return { [nameParam]: identity.name, PolicyName: policyName, PolicyDocument: encodeDocument(document) };
    },
    [`Delete${noun}Policy`]: (ctx, params) => {
      const scope = scopeOf(ctx);
      guardChange(scope, kind, name(params));
      deleteInlinePolicy(scope, kind, name(params), requireParam(params, 'PolicyName'));
      return {};
    },
    [`List${noun}Policies`]: (ctx, params) => {
      const identity = requireIdentity(scopeOf(ctx), kind, name(params));
      const page = pageOf([...identity.inlinePolicies.keys()].sort(), params);
      return { PolicyNames: page.items, ...pageFields(page) };
    },
  };
}

/** Handlers for Attach/Detach/ListAttached and Put/Get/Delete/List of user, group and role policies. */
export const attachmentHandlers: Record<string, QueryHandler> = Object.assign(
  {},
  ...KINDS.map(({ kind, noun }) => handlersFor(kind, noun)),
);
