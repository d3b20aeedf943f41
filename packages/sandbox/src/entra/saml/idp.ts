/**
 * The SAML identity provider's decisions: which app an AuthnRequest is for, whether the user may sign in
 * (exists, enabled, assigned directly or through a group they are a direct member of when assignment is
 * required), and the reply URL; then a signed Response. Refusals carry Entra's AADSTS codes.
 */
import { inflateRawSync } from 'node:zlib';
import type { EntraState, EntraUser, ServicePrincipal } from '../../world/entra-state.js';
import { findUser } from '../directory.js';
import { AWS_SINGLE_ACCOUNT_TEMPLATE_ID } from '../graph/templates.js';
import { buildSamlResponse } from './assertion.js';
import { activeSigningCertificate } from './federation-metadata.js';

export type AuthnRequestInfo = { id: string | null; issuer: string | null; acsUrl: string | null };

export type IssueResult =
  | { ok: true; samlResponse: string; xml: string; acsUrl: string }
  | { ok: false; status: number; code: number; message: string };

/** Reads an AuthnRequest from a SAMLRequest parameter (deflated for HTTP-Redirect, plain for HTTP-POST). */
export function parseAuthnRequest(samlRequest: string): AuthnRequestInfo {
  const raw = Buffer.from(samlRequest, 'base64');
  let xml: string;
  try {
    xml = inflateRawSync(raw).toString('utf8');
  } catch {
    xml = raw.toString('utf8');
  }
  const attr = (name: string) =>
    new RegExp(`<(?:\\w+:)?AuthnRequest\\b[^>]*\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? null;
  const issuer = /<(?:\w+:)?Issuer\b[^>]*>([^<]*)<\/(?:\w+:)?Issuer>/.exec(xml)?.[1]?.trim() ?? null;
  return { id: attr('ID'), issuer, acsUrl: attr('AssertionConsumerServiceURL') };
}

/** The enterprise app whose application has `identifier` among its identifierUris. */
export function findSamlApp(entra: EntraState, identifier: string): ServicePrincipal | undefined {
  const app = [...entra.applications.values()].find((a) => !a.deletedDateTime && a.identifierUris.includes(identifier));
  return app && [...entra.servicePrincipals.values()].find((sp) => sp.appId === app.appId && !sp.deletedDateTime);
}

/** The app's assignments that reach the user: to the user, or to a group the user is a direct member of. */
function assignmentsOf(entra: EntraState, sp: ServicePrincipal, user: EntraUser) {
  return sp.appRoleAssignedTo.filter(
    (a) =>
      a.principalId === user.id ||
      (a.principalType === 'Group' && entra.groups.get(a.principalId)?.members.has(user.id)),
  );
}

/**
 * The claims the "AWS Single-Account Access" app adds by default (Microsoft's tutorial): Role = user.assignedroles
 * (the values of the app roles assigned to the user, each `roleArn,providerArn`) and RoleSessionName =
 * user.userprincipalname. Other apps add none.
 */
function appClaims(entra: EntraState, sp: ServicePrincipal, user: EntraUser) {
  if (sp.applicationTemplateId !== AWS_SINGLE_ACCOUNT_TEMPLATE_ID) return [];
  const ids = new Set(assignmentsOf(entra, sp, user).map((a) => a.appRoleId));
  const roles = sp.appRoles.filter((r) => ids.has(r.id) && r.isEnabled && r.value).map((r) => r.value as string);
  return [
    { name: 'https://aws.amazon.com/SAML/Attributes/Role', values: [...new Set(roles)] },
    { name: 'https://aws.amazon.com/SAML/Attributes/RoleSessionName', values: [user.userPrincipalName] },
  ];
}

function refuse(status: number, code: number, message: string): IssueResult {
  return { ok: false, status, code, message };
}

/** Issues a signed SAML Response for `upn` to the app, after the checks Entra makes. */
export function issueAssertion(
  entra: EntraState,
  sp: ServicePrincipal,
  request: { upn: string; acsUrl?: string | null; inResponseTo?: string | null; now: Date },
): IssueResult {
  const app = [...entra.applications.values()].find((a) => a.appId === sp.appId && !a.deletedDateTime);
  if (!app || sp.deletedDateTime)
    return refuse(400, 700016, `Application with identifier '${sp.appId}' was not found in the directory.`);
  // An enterprise app whose service principal is disabled (accountEnabled false) starts no sign-in: AADSTS7000112.
  if (sp.accountEnabled === false)
    return refuse(400, 7000112, `Application '${sp.appId}'(${sp.displayName}) is disabled.`);
  if (sp.preferredSingleSignOnMode !== 'saml') {
    return refuse(
      400,
      750054,
      'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding. The application is not configured for SAML single sign-on.',
    );
  }
  const audience = app.identifierUris[0];
  if (!audience) return refuse(400, 700016, `Application '${sp.appId}' has no identifier (entity ID) configured.`);
  const acsUrl = request.acsUrl ?? app.web.redirectUris[0];
  if (!acsUrl || !app.web.redirectUris.includes(acsUrl)) {
    return refuse(
      400,
      50011,
      `The redirect URI '${acsUrl ?? ''}' specified in the request does not match the redirect URIs configured for the application '${sp.appId}'.`,
    );
  }
  const user = findUser(entra, request.upn);
  if (!user)
    return refuse(400, 50034, `The user account ${request.upn} does not exist in the ${entra.domain} directory.`);
  if (!user.accountEnabled) return refuse(400, 50057, 'The user account is disabled.');
  if (sp.appRoleAssignmentRequired !== false) {
    if (assignmentsOf(entra, sp, user).length === 0) {
      return refuse(
        400,
        50105,
        `Your administrator has configured the application ${sp.displayName} ('${sp.appId}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '${user.userPrincipalName}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator.`,
      );
    }
  }
  const cert = activeSigningCertificate(sp);
  if (!cert) return refuse(500, 500121, `The application '${sp.appId}' has no SAML signing certificate.`);
  const xml = buildSamlResponse(entra, {
    user,
    audience,
    acsUrl,
    inResponseTo: request.inResponseTo,
    cert,
    now: request.now,
    extraClaims: appClaims(entra, sp, user),
  });
  return { ok: true, xml, samlResponse: Buffer.from(xml, 'utf8').toString('base64'), acsUrl };
}
