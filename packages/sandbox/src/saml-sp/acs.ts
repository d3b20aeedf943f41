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
import { SignedXml } from 'xml-crypto';
import type { IdentitySource } from '../signin/state.js';
import type { IdentityStoreUser, SsoState } from '../world/sso-state.js';
import { xmlUnescape } from './identity-source.js';

export type AcsExpectations = { entityId: string; acsUrl: string; now: Date };

export type AcsOutcome =
  | { ok: true; user: IdentityStoreUser; nameId: string; inResponseTo: string | null }
  | { ok: false; reason: string; nameId: string | null };

const SKEW_MS = 2 * 60_000;
const MAX_RESPONSE = 512 * 1024;

function fail(reason: string, nameId: string | null = null): AcsOutcome {
  return { ok: false, reason, nameId };
}

/** The canonical XML of the signed Assertion (or of the signed Response), or why the signature is not good. */
function signedContent(xml: string, source: IdentitySource): string | { error: string } {
  const signature = /<(?:\w+:)?Signature\b[^>]*xmldsig#[^>]*>[\s\S]*?<\/(?:\w+:)?Signature>/.exec(xml)?.[0];
  if (!signature) return { error: 'the SAML response is not signed' };
  for (const cert of source.certificatesPem) {
    const sig = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    sig.loadSignature(signature);
    let valid = false;
    try {
      valid = sig.checkSignature(xml);
    } catch {
      valid = false;
    }
    if (!valid) continue;
    const refs = sig.getSignedReferences();
    const signed = refs.find((r) => /^<(?:\w+:)?(Assertion|Response)\b/.test(r));
    if (signed) return signed;
  }
  return { error: 'the signature does not verify against the identity source certificate' };
}

function first(xml: string, element: string): string | null {
  const m = new RegExp(`<(?:\\w+:)?${element}\\b[^>]*>([^<]*)</(?:\\w+:)?${element}>`).exec(xml);
  return m ? xmlUnescape(m[1].trim()) : null;
}

function attr(xml: string, element: string, name: string): string | null {
  const tag = new RegExp(`<(?:\\w+:)?${element}\\b([^>]*)>`).exec(xml)?.[1];
  const m = tag && new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? xmlUnescape(m[1]) : null;
}

function timeProblem(signed: string, now: Date): string | null {
  const t = now.getTime();
  const notBefore = attr(signed, 'Conditions', 'NotBefore');
  const notAfter = attr(signed, 'Conditions', 'NotOnOrAfter');
  const confirmAfter = attr(signed, 'SubjectConfirmationData', 'NotOnOrAfter');
  if (notBefore && Date.parse(notBefore) - SKEW_MS > t) return 'the assertion is not yet valid';
  for (const limit of [notAfter, confirmAfter])
    if (limit && Date.parse(limit) + SKEW_MS <= t) return 'the assertion has expired';
  if (!notAfter && !confirmAfter) return 'the assertion has no NotOnOrAfter';
  return null;
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
  const status = attr(xml, 'StatusCode', 'Value');
  if (status && !status.endsWith(':Success')) return fail(`the identity provider answered ${status}`);
  const signed = signedContent(xml, source);
  if (typeof signed !== 'string') return fail(signed.error);
  const nameId = first(signed, 'NameID');
  if (first(signed, 'Issuer') !== source.idpEntityId) return fail('the issuer is not the identity source', nameId);
  const audiences = [...signed.matchAll(/<(?:\w+:)?Audience>([^<]*)</g)].map((m) => xmlUnescape(m[1].trim()));
  if (!audiences.includes(expect.entityId)) return fail(`the audience is not ${expect.entityId}`, nameId);
  if (attr(signed, 'SubjectConfirmationData', 'Recipient') !== expect.acsUrl)
    return fail(`the recipient is not ${expect.acsUrl}`, nameId);
  const time = timeProblem(signed, expect.now);
  if (time) return fail(time, nameId);
  if (!nameId) return fail('the assertion has no NameID');
  const user = [...sso.users.values()].find((u) => u.userName === nameId);
  if (!user) return fail(`no Identity Center user has the user name ${nameId}`, nameId);
  if (!user.active) return fail(`the Identity Center user ${nameId} is disabled`, nameId);
  return { ok: true, user, nameId, inResponseTo: attr(signed, 'SubjectConfirmationData', 'InResponseTo') };
}
