/**
 * Identity Center's assertion consumer service (SAML 2.0 Web SSO, HTTP-POST binding): checks a SAMLResponse as
 * AWS does before letting anyone into the access portal. The XML signature is verified with xml-crypto against
 * the certificates of the identity source, and every value is then read from what the signature covers (the
 * canonical signed assertion), never from the unsigned envelope, so wrapped or moved assertions do not count.
 * Checks: one assertion, issuer = the identity source's entity ID, audience = Identity Center's entity ID,
 * recipient = the ACS URL, within NotBefore/NotOnOrAfter (two minutes of skew), NameID = an active Identity
 * Store user's userName exactly.
 * Source: SAML 2.0 Core and Profiles (OASIS saml-core-2.0-os §2.3.3, §2.5, saml-profiles-2.0-os §4.1.4.3),
 * "SAML 2.0 and identity source troubleshooting" in the IAM Identity Center user guide.
 */
import type { IdentitySource } from '../signin/state.js';
import type { IdentityStoreUser, SsoState } from '../world/sso-state.js';
import { attributeOf, audiencesOf, firstText, signedContent, timeProblem } from './signed-assertion.js';

export type AcsExpectations = { entityId: string; acsUrl: string; now: Date };

export type AcsOutcome =
  | { ok: true; user: IdentityStoreUser; nameId: string; inResponseTo: string | null }
  | { ok: false; reason: string; nameId: string | null };

const MAX_RESPONSE = 512 * 1024;
const TIME_REASONS = {
  'not-yet-valid': 'the assertion is not yet valid',
  expired: 'the assertion has expired',
  'no-expiry': 'the assertion has no NotOnOrAfter',
};

function fail(reason: string, nameId: string | null = null): AcsOutcome {
  return { ok: false, reason, nameId };
}

/** Verifies a base64 SAMLResponse for the instance; the Identity Store user it signs in, or why not. */
export function consumeSamlResponse(
  sso: SsoState,
  source: IdentitySource | null,
  samlResponse: string,
  expect: AcsExpectations,
): AcsOutcome {
  if (!source) return fail('Identity Center has no external identity provider configured');
  if (samlResponse.length > MAX_RESPONSE) return fail('the SAML response is too large');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return fail('the SAML response declares a DOCTYPE');
  if (/<(?:\w+:)?EncryptedAssertion\b/.test(xml)) return fail('encrypted assertions are not supported');
  const assertions = xml.match(/<(?:\w+:)?Assertion[\s>]/g) ?? [];
  if (assertions.length !== 1)
    return fail(`the SAML response has ${assertions.length} assertions; exactly one is required`);
  const status = attributeOf(xml, 'StatusCode', 'Value');
  if (status && !status.endsWith(':Success')) return fail(`the identity provider answered ${status}`);
  const signed = signedContent(xml, source.certificatesPem);
  if (typeof signed !== 'string')
    return fail(
      signed.error === 'unsigned'
        ? 'the SAML response is not signed'
        : 'the signature does not verify against the identity source certificate',
    );
  const nameId = firstText(signed, 'NameID');
  if (firstText(signed, 'Issuer') !== source.idpEntityId) return fail('the issuer is not the identity source', nameId);
  const audiences = audiencesOf(signed);
  if (!audiences.includes(expect.entityId)) return fail(`the audience is not ${expect.entityId}`, nameId);
  if (attributeOf(signed, 'SubjectConfirmationData', 'Recipient') !== expect.acsUrl)
    return fail(`the recipient is not ${expect.acsUrl}`, nameId);
  const time = timeProblem(signed, expect.now);
  if (time) return fail(TIME_REASONS[time], nameId);
  if (!nameId) return fail('the assertion has no NameID');
  const user = [...sso.users.values()].find((u) => u.userName === nameId);
  if (!user) return fail(`no Identity Center user has the user name ${nameId}`, nameId);
  if (!user.active) return fail(`the Identity Center user ${nameId} is disabled`, nameId);
  return { ok: true, user, nameId, inResponseTo: attributeOf(signed, 'SubjectConfirmationData', 'InResponseTo') };
}
