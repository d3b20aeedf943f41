/**
 * validateCredentials: tests a tenant URL and secret token against the sandbox's SCIM endpoint for real
 * (Entra's "Test Connection"), with the given credentials or the saved ones.
 */
import { randomUUID } from 'node:crypto';
import { type GraphRequest, type GraphResult, graphError } from '../graph-types.js';
import { baseAddressProblem, eqFilter, scimCall } from './scim-client.js';
import { type SyncJob, secretsOf } from './sync-state.js';

/** 204 when the SCIM endpoint accepts the token; Graph's 400 with Entra's explanation otherwise. */
export function validateCredentials(request: GraphRequest, job: SyncJob): GraphResult {
  const world = request.sandbox.world;
  const given = new Map<string, string>();
  if (request.body?.useSavedCredentials === true) {
    for (const [k, v] of secretsOf(world, job.servicePrincipalId)) given.set(k, v);
  } else {
    const creds = request.body?.credentials;
    if (!Array.isArray(creds)) return graphError(400, 'BadRequest', 'credentials or useSavedCredentials is required.');
    for (const kv of creds) if (typeof kv?.key === 'string') given.set(kv.key, String(kv.value ?? ''));
  }
  const baseAddress = given.get('BaseAddress') ?? '';
  const token = given.get('SecretToken') ?? '';
  if (!baseAddress || !token)
    return graphError(
      400,
      'BadRequest',
      'Both the Tenant URL (BaseAddress) and the Secret Token (SecretToken) are required.',
    );
  const problem = baseAddressProblem(baseAddress);
  if (problem)
    return graphError(
      400,
      'BadRequest',
      `${problem} Error code: SystemForCrossDomainIdentityManagementCredentialValidationUnavailable`,
    );
  const resource = `/Users${eqFilter('userName', randomUUID())}`;
  const reply = scimCall(world, { baseAddress, token }, 'GET', resource);
  if (reply.status === 200) return { status: 204 };
  const status = reply.status === 401 ? 'Unauthorized' : reply.status === 404 ? 'NotFound' : String(reply.status);
  return graphError(
    400,
    'BadRequest',
    'You appear to have entered invalid credentials. Please confirm you are using the correct information for an ' +
      'administrative account. Error code: SystemForCrossDomainIdentityManagementCredentialValidationUnavailable ' +
      `Details: We received this unexpected response from your application: Received response from Web resource. ` +
      `Resource: ${baseAddress.replace(/\/$/, '')}/Users?filter=userName+eq+... Status Code: ${status}`,
  );
}
