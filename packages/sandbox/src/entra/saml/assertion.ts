/**
 * Signed SAML 2.0 Responses as Entra issues them for a gallery SAML app: Issuer `https://sts.windows.net/{tenant}/`,
 * NameID in email-address format from the UPN, Audience = the app's identifier (the SP entity ID), Recipient and
 * Destination = the reply URL, the claims the seed guide lists, and an assertion signed with the active certificate.
 * Times come from the sandbox's virtual clock.
 */
import type { EntraState, EntraUser, SigningCertificate } from '../../world/entra-state.js';
import { entraIssuer } from './federation-metadata.js';
import { signElement, xmlEscape } from './xml-sign.js';

export type AssertionInput = {
  user: EntraUser;
  audience: string;
  acsUrl: string;
  inResponseTo?: string | null;
  cert: SigningCertificate;
  now: Date;
  /** Claims the app adds to the standard ones (e.g. AWS's Role and RoleSessionName), each with its values. */
  extraClaims?: { name: string; values: string[] }[];
};

/** The claim URIs Entra uses for the attributes the seed guide configures. */
export const CLAIMS = {
  emailaddress: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  givenname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  tenantid: 'http://schemas.microsoft.com/identity/claims/tenantid',
  objectidentifier: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  displayname: 'http://schemas.microsoft.com/identity/claims/displayname',
  identityprovider: 'http://schemas.microsoft.com/identity/claims/identityprovider',
  authnmethodsreferences: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
};

function instant(date: Date): string {
  return date.toISOString();
}

function attribute(name: string, value: string | null): string {
  if (value === null || value === '') return '';
  return `<Attribute Name="${name}"><AttributeValue>${xmlEscape(value)}</AttributeValue></Attribute>`;
}

/** Builds and signs a SAML Response; returns the XML. */
export function buildSamlResponse(entra: EntraState, input: AssertionInput): string {
  const { user, now } = input;
  const issuer = xmlEscape(entraIssuer(entra));
  const responseId = `_${crypto.randomUUID()}`;
  const assertionId = `_${crypto.randomUUID()}`;
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const notOnOrAfter = new Date(now.getTime() + 60 * 60_000);
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${xmlEscape(input.inResponseTo)}"` : '';
  const acs = xmlEscape(input.acsUrl);
  const attributes = [
    attribute(CLAIMS.tenantid, entra.tenantId),
    attribute(CLAIMS.objectidentifier, user.id),
    attribute(CLAIMS.displayname, user.displayName),
    attribute(CLAIMS.identityprovider, entraIssuer(entra)),
    attribute(
      CLAIMS.authnmethodsreferences,
      'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
    ),
    attribute(CLAIMS.emailaddress, user.mail),
    attribute(CLAIMS.givenname, user.givenName),
    attribute(CLAIMS.surname, user.surname),
    attribute(CLAIMS.name, user.userPrincipalName),
    ...(input.extraClaims ?? [])
      .filter((c) => c.values.length > 0)
      .map(
        (c) =>
          `<Attribute Name="${xmlEscape(c.name)}">${c.values.map((v) => `<AttributeValue>${xmlEscape(v)}</AttributeValue>`).join('')}</Attribute>`,
      ),
  ].join('');
  const assertion =
    `<Assertion ID="${assertionId}" IssueInstant="${instant(now)}" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">` +
    `<Issuer>${issuer}</Issuer>` +
    '<Subject>' +
    `<NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${xmlEscape(user.userPrincipalName)}</NameID>` +
    '<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">' +
    `<SubjectConfirmationData${inResponseTo} NotOnOrAfter="${instant(notOnOrAfter)}" Recipient="${acs}"/>` +
    '</SubjectConfirmation></Subject>' +
    `<Conditions NotBefore="${instant(notBefore)}" NotOnOrAfter="${instant(notOnOrAfter)}">` +
    `<AudienceRestriction><Audience>${xmlEscape(input.audience)}</Audience></AudienceRestriction></Conditions>` +
    `<AttributeStatement>${attributes}</AttributeStatement>` +
    `<AuthnStatement AuthnInstant="${instant(now)}" SessionIndex="${assertionId}">` +
    '<AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext>' +
    '</AuthnStatement></Assertion>';
  const xml =
    `<samlp:Response ID="${responseId}" Version="2.0" IssueInstant="${instant(now)}" Destination="${acs}"${inResponseTo} ` +
    'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">' +
    `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${issuer}</Issuer>` +
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
    assertion +
    '</samlp:Response>';
  return signElement(xml, 'Assertion', assertionId, input.cert, 'Issuer');
}
