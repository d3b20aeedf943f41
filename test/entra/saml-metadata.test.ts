import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { certificateThumbprint, parseIdpMetadata, parseSpMetadata } from '../../src/entra/saml-metadata.js';

const AWS_SP = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067c1a2b3">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://example.invalid/redirect" index="0"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://us-east-1.signin.aws.amazon.com/platform/saml/acs/old" index="2"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://us-east-1.signin.aws.amazon.com/platform/saml/acs/d-9067c1a2b3" index="1" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>`;

const CERT = Buffer.from('not really DER but bytes to hash').toString('base64');

const ENTRA_IDP = `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor ID="_abc" entityID="https://sts.windows.net/tenant-id/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing">
      <KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>
        ${CERT.slice(0, 10)}
        ${CERT.slice(10)}
      </X509Certificate></X509Data></KeyInfo>
    </KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/tenant-id/saml2"/>
  </IDPSSODescriptor>
</EntityDescriptor>`;

describe('SAML metadata parsing', () => {
  it("reads Identity Center's entity ID and the default HTTP-POST ACS URL", () => {
    const parsed = parseSpMetadata(AWS_SP);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.entityId, 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067c1a2b3');
    assert.equal(parsed.value.acsUrl, 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/d-9067c1a2b3');
    assert.equal(parsed.value.acsUrls.length, 2);
    assert.deepEqual(parsed.value.nameIdFormats, ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']);
  });

  it('refuses IdP metadata, non-metadata and malformed XML given as SP metadata, saying why', () => {
    const idp = parseSpMetadata(ENTRA_IDP);
    assert.deepEqual(idp, { ok: false, problem: 'not service provider metadata: no SPSSODescriptor element' });
    const html = parseSpMetadata('<html><body>Sign in</body></html>');
    assert.equal(html.ok, false);
    assert.match(html.ok ? '' : html.problem, /no EntityDescriptor/);
    assert.equal(parseSpMetadata('<md:EntityDescriptor').ok, false);
    const noPost = parseSpMetadata(AWS_SP.replace(/HTTP-POST/g, 'HTTP-Artifact'));
    assert.match(noPost.ok ? '' : noPost.problem, /no HTTP-POST AssertionConsumerService/);
  });

  it("reads Entra's federation metadata: issuer, sign-in URL and the signing certificate's thumbprint", () => {
    const parsed = parseIdpMetadata(ENTRA_IDP);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.entityId, 'https://sts.windows.net/tenant-id/');
    assert.deepEqual(parsed.value.singleSignOnUrls, ['https://login.microsoftonline.com/tenant-id/saml2']);
    const expected = createHash('sha1').update(Buffer.from(CERT, 'base64')).digest('hex').toUpperCase();
    assert.deepEqual(parsed.value.signingCertificates, [{ base64: CERT, thumbprint: expected }]);
    assert.equal(certificateThumbprint(CERT), expected);
  });
});
