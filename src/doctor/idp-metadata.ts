/**
 * Reads an identity provider's SAML metadata (what Identity Center was given, or Entra's federation metadata)
 * defensively before anything in it is trusted. Refused with a message saying why: documents over 1 MB, a DOCTYPE
 * or entity declarations (XXE, external entities, entity expansion), XML that is not well formed
 * (fast-xml-parser's validator), no signature, a signature that covers something other than the document's root
 * EntityDescriptor (a wrapped signature), more than one signature there, or one that does not verify (xml-crypto,
 * against the certificate in the signature's KeyInfo, which must also be one of the metadata's signing
 * certificates). Then the content is read with the product's metadata parser and each certificate's dates with
 * node:crypto. Sources: SAML 2.0 Metadata §3.1 (signature on the root element), the W3C XML-DSig enveloped
 * signature, OWASP XXE prevention.
 */
import { X509Certificate } from 'node:crypto';
import { XMLValidator } from 'fast-xml-parser';
import { SignedXml } from 'xml-crypto';
import { type IdpMetadata, parseIdpMetadata } from '../entra/saml-metadata.js';

export const MAX_METADATA_BYTES = 1024 * 1024;

/** A signing certificate of the metadata, with its validity. */
export type MetadataCertificate = { thumbprint: string; notBefore: string; notAfter: string; subject: string };

/** Metadata that passed every guard. */
export type InspectedMetadata = Omit<IdpMetadata, 'signingCertificates'> & { certificates: MetadataCertificate[] };

export type Inspection = { ok: true; value: InspectedMetadata } | { ok: false; problem: string };

function refuse(problem: string): Inspection {
  return { ok: false, problem };
}

function rootId(xml: string): string | null {
  const root = /<(?:\w+:)?EntityDescriptor\b([^>]*)>/.exec(xml);
  return root ? (/\sID="([^"]+)"/.exec(root[1])?.[1] ?? null) : null;
}

/** The signature problem of the document, or null when its root is signed and the signature verifies. */
function signatureProblem(xml: string, certificates: string[]): string | null {
  const signatures = [...xml.matchAll(/<(?:\w+:)?Signature\b[^>]*>[\s\S]*?<\/(?:\w+:)?Signature>/g)].map((m) => m[0]);
  if (!signatures.length) return 'the metadata is not signed (no XML signature): it may have been altered on the way';
  if (signatures.length > 1)
    return 'the metadata carries more than one signature: refusing a possibly wrapped document';
  const id = rootId(xml);
  const references = [...signatures[0].matchAll(/<(?:\w+:)?Reference\b[^>]*\sURI="([^"]*)"/g)].map((m) => m[1]);
  if (!id || references.length !== 1 || references[0] !== `#${id}`)
    return 'the signature does not cover the root EntityDescriptor (a wrapped or detached signature)';
  const keyInfo = /<(?:\w+:)?X509Certificate>([^<]+)</.exec(signatures[0])?.[1]?.replace(/\s+/g, '');
  if (!keyInfo || !certificates.includes(keyInfo))
    return "the signature's certificate is not one of the metadata's signing certificates";
  const verifier = new SignedXml({
    publicCert: `-----BEGIN CERTIFICATE-----\n${keyInfo.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`,
    getCertFromKeyInfo: () => null,
  });
  try {
    verifier.loadSignature(signatures[0]);
    if (!verifier.checkSignature(xml)) return 'the signature does not verify: the document was changed after signing';
  } catch (error) {
    return `the signature cannot be checked: ${(error as Error).message}`;
  }
  return null;
}

function describe(base64: string, thumbprint: string): MetadataCertificate | null {
  try {
    const cert = new X509Certificate(Buffer.from(base64, 'base64'));
    return {
      thumbprint,
      notBefore: new Date(cert.validFrom).toISOString(),
      notAfter: new Date(cert.validTo).toISOString(),
      subject: cert.subject,
    };
  } catch {
    return null;
  }
}

/** Inspects IdP metadata; `requireSignature: false` accepts unsigned documents (what some exports are). */
export function inspectIdpMetadata(xml: string, options: { requireSignature?: boolean } = {}): Inspection {
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES)
    return refuse(`the metadata is larger than ${MAX_METADATA_BYTES / 1024} KB; SAML metadata for one IdP is a few KB`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    return refuse('the metadata declares a DOCTYPE or entities (XXE / external entities): refused, never expanded');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return refuse(`the metadata is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parsed = parseIdpMetadata(xml);
  if (!parsed.ok) return refuse(parsed.problem);
  const bases = parsed.value.signingCertificates.map((c) => c.base64);
  if (!bases.length) return refuse('the metadata has no signing certificate');
  if (options.requireSignature !== false) {
    const problem = signatureProblem(xml, bases);
    if (problem) return refuse(problem);
  }
  const certificates = parsed.value.signingCertificates.map((c) => describe(c.base64, c.thumbprint));
  if (certificates.some((c) => !c))
    return refuse('a signing certificate in the metadata is not a readable X.509 certificate');
  return {
    ok: true,
    value: {
      entityId: parsed.value.entityId,
      singleSignOnUrls: parsed.value.singleSignOnUrls,
      certificates: certificates as MetadataCertificate[],
    },
  };
}
