/** Enveloped XML-DSig (RSA-SHA256, exclusive C14N) with the signing certificate in KeyInfo, via xml-crypto. */
import { SignedXml } from 'xml-crypto';

/**
 * Signs the element with the given `ID` and inserts the Signature after its first child named `after`
 * (the Issuer in SAML assertions) or as its first child.
 */
export function signElement(
  xml: string,
  elementLocalName: string,
  id: string,
  key: { privateKeyPem: string; certificatePem: string },
  after?: string,
): string {
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: `//*[local-name(.)='${elementLocalName}' and @ID='${id}']`,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  const location = after
    ? {
        reference: `//*[local-name(.)='${elementLocalName}' and @ID='${id}']/*[local-name(.)='${after}']`,
        action: 'after' as const,
      }
    : { reference: `//*[local-name(.)='${elementLocalName}' and @ID='${id}']`, action: 'prepend' as const };
  sig.computeSignature(xml, { location });
  return sig.getSignedXml();
}

/** Escapes text for XML content and attributes. */
export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
