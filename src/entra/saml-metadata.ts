/**
 * SAML 2.0 metadata documents, parsed: Identity Center's SP metadata (entity ID and ACS URL, what Entra's
 * "Basic SAML Configuration" needs) and Entra's federation metadata (issuer, sign-in URL and signing
 * certificates, what Identity Center needs). Parse errors are data with a message a person can act on.
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

/** Identity Center as a SAML service provider. */
export type SpMetadata = { entityId: string; acsUrl: string; acsUrls: string[]; nameIdFormats: string[] };

/** Entra as a SAML identity provider for one app. */
export type IdpMetadata = {
  entityId: string;
  singleSignOnUrls: string[];
  /** Signing certificates: base64 DER and SHA-1 thumbprint (upper-case hex, as Entra shows it). */
  signingCertificates: { base64: string; thumbprint: string }[];
};

/** A parse outcome: the value, or why the document is not what was expected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

type Node = Record<string, unknown>;

const HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

function parseXml(xml: string): Node | null {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    isArray: (name) =>
      [
        'EntityDescriptor',
        'SPSSODescriptor',
        'IDPSSODescriptor',
        'AssertionConsumerService',
        'SingleSignOnService',
        'KeyDescriptor',
        'NameIDFormat',
        'X509Certificate',
      ].includes(name),
  });
  try {
    return parser.parse(xml) as Node;
  } catch {
    return null;
  }
}

function entityDescriptor(doc: Node | null): Node | null {
  if (!doc) return null;
  const direct = doc.EntityDescriptor as Node[] | undefined;
  if (direct?.length) return direct[0];
  const nested = (doc.EntitiesDescriptor as Node | undefined)?.EntityDescriptor as Node[] | undefined;
  return nested?.[0] ?? null;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value && typeof value === 'object' && '#text' in value) return String((value as Node)['#text']).trim();
  return '';
}

/** Parses Identity Center's SP metadata: entity ID and the default HTTP-POST ACS URL. */
export function parseSpMetadata(xml: string): Parsed<SpMetadata> {
  const entity = entityDescriptor(parseXml(xml));
  if (!entity) return { ok: false, problem: 'not SAML metadata: no EntityDescriptor element' };
  const entityId = String(entity['@entityID'] ?? '');
  const sp = (entity.SPSSODescriptor as Node[] | undefined)?.[0];
  if (!sp) return { ok: false, problem: 'not service provider metadata: no SPSSODescriptor element' };
  if (!entityId) return { ok: false, problem: 'the EntityDescriptor has no entityID' };
  const services = ((sp.AssertionConsumerService as Node[] | undefined) ?? [])
    .filter((s) => s['@Binding'] === HTTP_POST && s['@Location'])
    .sort((a, b) => {
      const d = Number(b['@isDefault'] === 'true') - Number(a['@isDefault'] === 'true');
      return d || Number(a['@index'] ?? 0) - Number(b['@index'] ?? 0);
    });
  if (!services.length) return { ok: false, problem: 'the SP metadata has no HTTP-POST AssertionConsumerService' };
  const acsUrls = services.map((s) => String(s['@Location']));
  const nameIdFormats = ((sp.NameIDFormat as unknown[] | undefined) ?? []).map(text).filter(Boolean);
  return { ok: true, value: { entityId, acsUrl: acsUrls[0], acsUrls, nameIdFormats } };
}

/** SHA-1 thumbprint of a base64 DER certificate, upper-case hex. */
export function certificateThumbprint(base64Der: string): string {
  return createHash('sha1').update(Buffer.from(base64Der, 'base64')).digest('hex').toUpperCase();
}

/** Parses federation metadata for the IdP's entity ID, sign-in URLs and signing certificates. */
export function parseIdpMetadata(xml: string): Parsed<IdpMetadata> {
  const entity = entityDescriptor(parseXml(xml));
  if (!entity) return { ok: false, problem: 'not SAML metadata: no EntityDescriptor element' };
  const idp = (entity.IDPSSODescriptor as Node[] | undefined)?.[0];
  if (!idp) return { ok: false, problem: 'not identity provider metadata: no IDPSSODescriptor element' };
  const keys = ((idp.KeyDescriptor as Node[] | undefined) ?? []).filter((k) => (k['@use'] ?? 'signing') === 'signing');
  const certificates = keys.flatMap((k) => {
    const data = (k.KeyInfo as Node | undefined)?.X509Data as Node | undefined;
    return ((data?.X509Certificate as unknown[] | undefined) ?? []).map((c) => text(c).replace(/\s+/g, ''));
  });
  const sso = ((idp.SingleSignOnService as Node[] | undefined) ?? []).map((s) => String(s['@Location'] ?? ''));
  return {
    ok: true,
    value: {
      entityId: String(entity['@entityID'] ?? ''),
      singleSignOnUrls: sso.filter(Boolean),
      signingCertificates: [...new Set(certificates)].map((base64) => ({
        base64,
        thumbprint: certificateThumbprint(base64),
      })),
    },
  };
}
