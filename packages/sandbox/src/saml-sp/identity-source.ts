/**
 * Identity Center's "Change identity source → External identity provider" step, which has no public API: the
 * admin uploads the IdP's SAML metadata and Identity Center keeps its entity ID, HTTP-Redirect sign-in URL and
 * signing certificates. The sandbox takes the same document on a control endpoint. Documents with a DOCTYPE are
 * refused (no entity expansion), as are documents without an IDPSSODescriptor or a signing certificate.
 */
import { toPem } from '../entra/crypto/x509.js';
import type { IdentitySource } from '../signin/state.js';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const MAX_METADATA = 256 * 1024;

/** Reads an IdP metadata document into identity source settings; a message when it cannot be used. */
export function identitySourceFromMetadata(xml: string): IdentitySource | string {
  if (xml.length > MAX_METADATA) return 'the metadata document is larger than 256 KB';
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return 'the metadata document declares a DOCTYPE or entities';
  const entityId = /<(?:\w+:)?EntityDescriptor\b[^>]*\bentityID="([^"]+)"/.exec(xml)?.[1];
  const idp = /<(?:\w+:)?IDPSSODescriptor\b[\s\S]*?<\/(?:\w+:)?IDPSSODescriptor>/.exec(xml)?.[0];
  if (!entityId || !idp) return 'not identity provider metadata (no EntityDescriptor entityID or IDPSSODescriptor)';
  const services = [...idp.matchAll(/<(?:\w+:)?SingleSignOnService\b([^>]*)\/?>/g)].map((m) => m[1]);
  const redirect = services.find((s) => s.includes(REDIRECT)) ?? services[0];
  const signInUrl = redirect && /\bLocation="([^"]+)"/.exec(redirect)?.[1];
  if (!signInUrl) return 'the metadata has no SingleSignOnService location';
  const certificates = [...idp.matchAll(/<(?:\w+:)?KeyDescriptor\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?KeyDescriptor>/g)]
    .filter((m) => !/use="encryption"/.test(m[1]))
    .map((m) => /<(?:\w+:)?X509Certificate>([^<]+)</.exec(m[2])?.[1]?.replace(/\s+/g, ''))
    .filter((c): c is string => Boolean(c));
  if (!certificates.length) return 'the metadata has no signing certificate';
  return {
    idpEntityId: xmlUnescape(entityId),
    idpSignInUrl: xmlUnescape(signInUrl),
    certificatesPem: [...new Set(certificates)].map(toPem),
  };
}

/** Undoes XML escaping of an attribute value or text. */
export function xmlUnescape(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
