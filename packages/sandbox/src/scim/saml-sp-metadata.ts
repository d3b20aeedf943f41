/**
 * Identity Center as a SAML service provider: its entity ID, assertion consumer service URL and access portal
 * URL at AWS's shapes, and the SP metadata XML the console offers for download (what the Entra side reads
 * to configure SAML single sign-on).
 */
import type { World } from '../world/world.js';

export type IdentityCenterSamlSettings = {
  /** `https://<region>.signin.aws.amazon.com/platform/saml/<identity-store-id>` */
  entityId: string;
  /** `https://<region>.signin.aws.amazon.com/platform/saml/acs/<identity-store-id>` */
  acsUrl: string;
  /** The AWS access portal, `https://<identity-store-id>.awsapps.com/start`. */
  signOnUrl: string;
  nameIdFormat: string;
};

/** The SP settings of the world's Identity Center instance. */
export function identityCenterSamlSettings(world: World): IdentityCenterSamlSettings {
  const sso = world.sso;
  if (!sso) throw new Error('sandbox: Identity Center is not enabled in this world');
  const base = `https://${sso.region}.signin.aws.amazon.com/platform/saml`;
  return {
    entityId: `${base}/${sso.identityStoreId}`,
    acsUrl: `${base}/acs/${sso.identityStoreId}`,
    signOnUrl: `https://${sso.identityStoreId}.awsapps.com/start`,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  };
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The SAML 2.0 SP metadata document (EntityDescriptor with one SPSSODescriptor). */
export function identityCenterSpMetadataXml(world: World): string {
  const s = identityCenterSamlSettings(world);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeXml(s.entityId)}">`,
    '  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
    `    <md:NameIDFormat>${s.nameIdFormat}</md:NameIDFormat>`,
    `    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(s.acsUrl)}" index="0" isDefault="true"/>`,
    '  </md:SPSSODescriptor>',
    '</md:EntityDescriptor>',
    '',
  ].join('\n');
}
