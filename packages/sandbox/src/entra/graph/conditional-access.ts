/**
 * Graph `/identity/conditionalAccess/policies`: list, get, create, update (PATCH) and delete Conditional Access
 * policies, with the shapes of the v1.0 conditionalAccessPolicy resource type
 * (learn.microsoft.com/graph/api/resources/conditionalaccesspolicy): `conditions.applications.includeApplications`,
 * `conditions.users.includeGroups/excludeUsers`, `grantControls.builtInControls` (`mfa`) or
 * `grantControls.authenticationStrength`, and `state` enabled | disabled | enabledForReportingButNotEnforced.
 * Permissions (conditionalaccessroot-post-policies): Policy.Read.All to read, Policy.ReadWrite.ConditionalAccess
 * to write. A tenant without Entra ID P1 is refused with a licensing 403 (see GUESSES.md).
 */
import type { CaPolicy, CaPolicyState } from '../../world/entra-harden-state.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { hardenOf } from '../harden/state.js';
import { bodyObject, nowOf, ok, tenantOf } from './context.js';
import { type CollectionSpec, entityResult, type GraphRecord, listCollection, notFound } from './odata.js';

const READ = ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'];
const WRITE = ['Policy.ReadWrite.ConditionalAccess'];
const STATES: CaPolicyState[] = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'];
const PATH = '^/identity/conditionalAccess/policies';

const SPEC: CollectionSpec = {
  type: 'microsoft.graph.conditionalAccessPolicy',
  context: 'identity/conditionalAccess/policies',
  defaultSelect: [
    'id',
    'templateId',
    'displayName',
    'createdDateTime',
    'modifiedDateTime',
    'state',
    'conditions',
    'grantControls',
    'sessionControls',
  ],
  selectable: [
    'id',
    'templateId',
    'displayName',
    'state',
    'conditions',
    'grantControls',
    'sessionControls',
    'createdDateTime',
    'modifiedDateTime',
  ],
  filterable: ['id', 'displayName', 'state'],
};

/** The licensing refusal of a tenant without Entra ID P1 (message: see GUESSES.md). */
function requireLicence(request: GraphRequest): void {
  if (!hardenOf(tenantOf(request)).licences.premiumP1)
    throw graphError(
      403,
      'AadPremiumLicenseRequired',
      'The tenant needs an AAD Premium 1 license. Conditional Access requires Microsoft Entra ID P1.',
    );
}

function record(p: CaPolicy): GraphRecord {
  return {
    id: p.id,
    templateId: null,
    displayName: p.displayName,
    createdDateTime: p.createdDateTime.toISOString(),
    modifiedDateTime: p.modifiedDateTime?.toISOString() ?? null,
    state: p.state,
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: p.conditions.clientAppTypes,
      platforms: null,
      locations: null,
      applications: { ...p.conditions.applications, includeUserActions: [] },
      users: p.conditions.users,
    },
    grantControls: p.grantControls ? { ...p.grantControls, customAuthenticationFactors: [], termsOfUse: [] } : null,
  };
}

/** Graph's answer to a body that does not match conditionalAccessPolicy (CA error 1007). */
const schemaError = (detail: string) =>
  graphError(
    400,
    'BadRequest',
    `1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. ${detail}`,
  );

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function readState(value: unknown): CaPolicyState {
  if (!STATES.includes(value as CaPolicyState)) throw schemaError(`Invalid value for 'state': '${String(value)}'.`);
  return value as CaPolicyState;
}

function readConditions(value: unknown): CaPolicy['conditions'] {
  const c = (value ?? null) as Record<string, Record<string, unknown> | undefined> | null;
  if (!c?.applications || !c.users) throw schemaError("'conditions.applications' and 'conditions.users' are required.");
  const a = c.applications;
  const u = c.users;
  const users = {
    includeUsers: strings(u.includeUsers),
    excludeUsers: strings(u.excludeUsers),
    includeGroups: strings(u.includeGroups),
    excludeGroups: strings(u.excludeGroups),
    includeRoles: strings(u.includeRoles),
    excludeRoles: strings(u.excludeRoles),
  };
  if (users.includeUsers.length + users.includeGroups.length + users.includeRoles.length === 0)
    throw schemaError('Policy must include at least one user, group or role.');
  const includeApplications = strings(a.includeApplications);
  if (includeApplications.length === 0) throw schemaError('Policy must include at least one application.');
  return {
    applications: { includeApplications, excludeApplications: strings(a.excludeApplications) },
    users,
    clientAppTypes: strings((c as Record<string, unknown>).clientAppTypes).length
      ? strings((c as Record<string, unknown>).clientAppTypes)
      : ['all'],
  };
}

function readGrant(value: unknown): CaPolicy['grantControls'] {
  if (value === null || value === undefined) return null;
  const g = value as Record<string, unknown>;
  const strength = g.authenticationStrength as { id?: unknown } | null | undefined;
  return {
    operator: String(g.operator ?? 'OR'),
    builtInControls: strings(g.builtInControls),
    authenticationStrength: strength?.id ? { id: String(strength.id) } : null,
  };
}

function policyOr404(request: GraphRequest, id: string): CaPolicy {
  const policy = hardenOf(tenantOf(request)).policies.get(id);
  if (!policy) throw notFound(id);
  return policy;
}

function createPolicy(request: GraphRequest) {
  requireLicence(request);
  const body = bodyObject(request);
  if (typeof body.displayName !== 'string' || !body.displayName) throw schemaError("'displayName' is required.");
  const now = nowOf(request);
  const policy: CaPolicy = {
    id: crypto.randomUUID(),
    displayName: body.displayName,
    state: readState(body.state ?? 'enabled'),
    createdDateTime: now,
    modifiedDateTime: null,
    conditions: readConditions(body.conditions),
    grantControls: readGrant(body.grantControls),
  };
  hardenOf(tenantOf(request)).policies.set(policy.id, policy);
  return ok(201, {
    '@odata.context': `${request.baseUrl}/$metadata#identity/conditionalAccess/policies/$entity`,
    ...record(policy),
  });
}

function updatePolicy(request: GraphRequest, id: string) {
  requireLicence(request);
  const policy = policyOr404(request, id);
  const body = bodyObject(request);
  if (body.displayName !== undefined) policy.displayName = String(body.displayName);
  if (body.state !== undefined) policy.state = readState(body.state);
  if (body.conditions !== undefined) policy.conditions = readConditions(body.conditions);
  if (body.grantControls !== undefined) policy.grantControls = readGrant(body.grantControls);
  policy.modifiedDateTime = nowOf(request);
  return ok(204);
}

/** Handlers for `/identity/conditionalAccess/policies`. */
export const conditionalAccessHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: new RegExp(`${PATH}$`),
    permissions: READ,
    handle: (request) => {
      requireLicence(request);
      return listCollection(request, [...hardenOf(tenantOf(request)).policies.values()].map(record), SPEC);
    },
  },
  { method: 'POST', pattern: new RegExp(`${PATH}$`), permissions: WRITE, handle: createPolicy },
  {
    method: 'GET',
    pattern: new RegExp(`${PATH}/([^/]+)$`),
    permissions: READ,
    handle: (request, m) => {
      requireLicence(request);
      return entityResult(request, record(policyOr404(request, m[1])), SPEC);
    },
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`${PATH}/([^/]+)$`),
    permissions: WRITE,
    handle: (request, m) => updatePolicy(request, m[1]),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${PATH}/([^/]+)$`),
    permissions: WRITE,
    handle: (request, m) => {
      requireLicence(request);
      policyOr404(request, m[1]);
      hardenOf(tenantOf(request)).policies.delete(m[1]);
      return ok(204);
    },
  },
];
