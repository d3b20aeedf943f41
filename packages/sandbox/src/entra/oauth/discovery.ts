/**
 * The discovery documents msal-node reads before asking for a token: the tenant's OpenID configuration
 * (v2.0 and v1), instance discovery, and the signing keys (JWKS).
 */
import type { EntraState } from '../../world/entra-state.js';

/** `{base}/{tenant}/v2.0/.well-known/openid-configuration` as Entra serves it (v2 endpoints, v2 issuer). */
export function openIdConfiguration(base: string, entra: EntraState, tenantSegment: string, v1 = false): unknown {
  const tenant = tenantSegment === 'common' || tenantSegment === 'organizations' ? '{tenantid}' : entra.tenantId;
  const root = `${base}/${tenantSegment}`;
  const oauth = v1 ? `${root}/oauth2` : `${root}/oauth2/v2.0`;
  return {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v1 ? `${base}/common/discovery/keys` : `${base}/${tenantSegment}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v1 ? `https://sts.windows.net/${tenant}/` : `${base}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'ver', 'roles', 'appid'],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** `{base}/common/discovery/instance`: the authority's aliases, so msal trusts the sandbox host. */
export function instanceDiscovery(base: string, authorizationEndpoint: string | null): unknown {
  const host = new URL(base).host;
  let tenantSegment = 'common';
  if (authorizationEndpoint) {
    try {
      tenantSegment = new URL(authorizationEndpoint).pathname.split('/')[1] || 'common';
    } catch {
      // keep common
    }
  }
  return {
    tenant_discovery_endpoint: `${base}/${tenantSegment}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
