/**
 * Reading a SAML 2.0 Response as a service provider must: the XML signature is verified with xml-crypto against
 * the identity provider's certificates, and every value is then read from what the signature covers (the canonical
 * signed Assertion or Response), never from the unsigned envelope, so wrapped or moved assertions do not count.
 * Shared by Identity Center's ACS and STS AssumeRoleWithSAML.
 * Source: SAML 2.0 Core (OASIS saml-core-2.0-os §2.3.3 Assertion, §2.4.1.2 SubjectConfirmationData, §2.5
 * Conditions), XML Signature Syntax and Processing (enveloped signatures).
 */
import { SignedXml } from 'xml-crypto';
import { xmlUnescape } from './identity-source.js';

/** Clock skew both service providers allow on NotBefore / NotOnOrAfter. */
export const SAML_SKEW_MS = 2 * 60_000;

/** The canonical XML of the signed Assertion (or of the signed Response), or why the signature is not good. */
export function signedContent(
  xml: string,
  certificatesPem: string[],
): string | { error: 'unsigned' | 'bad-signature' } {
  const signature = /<(?:\w+:)?Signature\b[^>]*xmldsig#[^>]*>[\s\S]*?<\/(?:\w+:)?Signature>/.exec(xml)?.[0];
  if (!signature) return { error: 'unsigned' };
  for (const cert of certificatesPem) {
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
  return { error: 'bad-signature' };
}

/** The text of the first `element` in `xml` (unescaped, trimmed), or null. */
export function firstText(xml: string, element: string): string | null {
  const m = new RegExp(`<(?:\\w+:)?${element}\\b[^>]*>([^<]*)</(?:\\w+:)?${element}>`).exec(xml);
  return m ? xmlUnescape(m[1].trim()) : null;
}

/** The attribute `name` of the first `element` in `xml` (unescaped), or null. */
export function attributeOf(xml: string, element: string, name: string): string | null {
  const tag = new RegExp(`<(?:\\w+:)?${element}\\b([^>]*)>`).exec(xml)?.[1];
  const m = tag && new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? xmlUnescape(m[1]) : null;
}

/** The values of the SAML Attribute named `name` in the AttributeStatement. */
export function samlAttributeValues(xml: string, name: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?Attribute\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?Attribute>/g)) {
    if (xmlUnescape(/\sName="([^"]*)"/.exec(m[1])?.[1] ?? '') !== name) continue;
    for (const v of m[2].matchAll(/<(?:\w+:)?AttributeValue\b[^>]*>([^<]*)<\/(?:\w+:)?AttributeValue>/g))
      out.push(xmlUnescape(v[1].trim()));
  }
  return out;
}

/** The Audience values of the assertion's AudienceRestriction. */
export function audiencesOf(xml: string): string[] {
  return [...xml.matchAll(/<(?:\w+:)?Audience>([^<]*)</g)].map((m) => xmlUnescape(m[1].trim()));
}

/** Why the assertion is not valid at `now` (before NotBefore or at/after NotOnOrAfter), or null. */
export function timeProblem(signed: string, now: Date): 'not-yet-valid' | 'expired' | 'no-expiry' | null {
  const t = now.getTime();
  const notBefore = attributeOf(signed, 'Conditions', 'NotBefore');
  const notAfter = attributeOf(signed, 'Conditions', 'NotOnOrAfter');
  const confirmAfter = attributeOf(signed, 'SubjectConfirmationData', 'NotOnOrAfter');
  if (notBefore && Date.parse(notBefore) - SAML_SKEW_MS > t) return 'not-yet-valid';
  for (const limit of [notAfter, confirmAfter]) if (limit && Date.parse(limit) + SAML_SKEW_MS <= t) return 'expired';
  if (!notAfter && !confirmAfter) return 'no-expiry';
  return null;
}
