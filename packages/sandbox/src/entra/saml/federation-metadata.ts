/**
 * Per-app federation metadata at Entra's URL shape (`/{tenant}/federationmetadata/2007-06/federationmetadata.xml
 * ?appid={appId}`): entityID `https://sts.windows.net/{tenant}/`, the app's active signing certificate, the SAML
 * SSO and logout URLs, signed with that certificate.
 */
import type { EntraState, ServicePrincipal, SigningCertificate } from '../../world/entra-state.js';
import { pemToBase64 } from '../crypto/x509.js';
import { signElement, xmlEscape } from './xml-sign.js';

/** The certificate Entra signs with: the preferred thumbprint's, else the newest one; null when there is none. */
export function activeSigningCertificate(sp: ServicePrincipal): SigningCertificate | null {
  const preferred = sp.signingCertificates.find((c) => c.thumbprint === sp.preferredTokenSigningKeyThumbprint);
  if (preferred) return preferred;
  return sp.signingCertificates.length ? sp.signingCertificates[sp.signingCertificates.length - 1] : null;
}

/** Entra's SAML issuer (and metadata entityID) for a tenant. */
export function entraIssuer(entra: EntraState): string {
  return `https://sts.windows.net/${entra.tenantId}/`;
}

/** The signed metadata XML for a service principal, with SSO URLs under `base`. */
export function federationMetadataXml(
  entra: EntraState,
  sp: ServicePrincipal,
  cert: SigningCertificate,
  base: string,
): string {
  const id = `_${crypto.randomUUID()}`;
  const sso = `${base}/${entra.tenantId}/saml2`;
  const certificate = pemToBase64(cert.certificatePem);
  const xml =
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<EntityDescriptor ID="${id}" entityID="${xmlEscape(entraIssuer(entra))}" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` +
    '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
    '<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>' +
    `<X509Certificate>${certificate}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>` +
    `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${xmlEscape(sso)}"/>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${xmlEscape(sso)}"/>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${xmlEscape(sso)}"/>` +
    '</IDPSSODescriptor></EntityDescriptor>';
  void sp;
  return signElement(xml, 'EntityDescriptor', id, cert);
}
