import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { createSelfSignedCertificate, pemToBase64 } from '@iam2sso/sandbox/entra/crypto/x509.js';
import { signElement } from '@iam2sso/sandbox/entra/saml/xml-sign.js';
import { appChecks, doctorExitCode, idpMetadataChecks } from '../../src/doctor/checks.js';
import { inspectIdpMetadata } from '../../src/doctor/idp-metadata.js';
import { certificateThumbprint } from '../../src/entra/saml-metadata.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const TENANT = '477f8478-c4bc-4154-a13f-626837f4e2e4';
/** Real Entra tenant-independent federation metadata (see test/fixtures/entra-metadata/SOURCE.md). */
const COMMON = readFileSync(
  new URL('../fixtures/entra-metadata/entra-tenant-independent.xml', import.meta.url),
  'utf8',
);

const certificates = new Map<number, ReturnType<typeof createSelfSignedCertificate>>();

/** Signed app metadata as Entra publishes it (one certificate per expiry date, made once). */
function appMetadata(notAfter = new Date('2029-01-01T00:00:00Z')) {
  const cert =
    certificates.get(notAfter.getTime()) ??
    createSelfSignedCertificate({
      commonName: 'Microsoft Azure Federated SSO Certificate',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter,
    });
  certificates.set(notAfter.getTime(), cert);
  const b64 = pemToBase64(cert.certificatePem);
  const xml =
    `<EntityDescriptor ID="_m1" entityID="https://sts.windows.net/${TENANT}/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` +
    '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing">' +
    `<KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${b64}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/${TENANT}/saml2"/>` +
    '</IDPSSODescriptor></EntityDescriptor>';
  return { xml: signElement(xml, 'EntityDescriptor', '_m1', cert), thumbprint: certificateThumbprint(b64) };
}

const entra = (thumbprint: string | null) => ({
  tenantId: TENANT,
  signInUrl: `https://login.microsoftonline.com/${TENANT}/saml2`,
  activeThumbprint: thumbprint,
});

describe('IdP metadata is read defensively', () => {
  test("reads Entra's real signed tenant-independent metadata: its signature verifies, three certificates", () => {
    const r = inspectIdpMetadata(COMMON);
    assert.ok(r.ok, r.ok ? '' : r.problem);
    assert.equal(r.value.entityId, 'https://sts.windows.net/{tenantid}/');
    assert.deepEqual(
      r.value.certificates.map((c) => c.notAfter.slice(0, 10)),
      ['2019-02-14', '2019-03-27', '2018-11-16'],
    );
  });

  const hostile: [string, () => string, RegExp][] = [
    [
      'a DOCTYPE with an external entity (XXE)',
      () => `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${appMetadata().xml}`,
      /DOCTYPE or entities/,
    ],
    [
      'a huge document',
      () =>
        appMetadata().xml.replace(
          '</IDPSSODescriptor>',
          `<Extensions>${'<a/>'.repeat(300_000)}</Extensions></IDPSSODescriptor>`,
        ),
      /larger than/,
    ],
    ['a missing signature', () => appMetadata().xml.replace(/<Signature[\s\S]*<\/Signature>/, ''), /not signed/],
    [
      'a signature that covers another element (wrapped)',
      () => appMetadata().xml.replace('ID="_m1"', 'ID="_evil"'),
      /does not cover the root/,
    ],
    [
      'two signatures',
      () => {
        const x = appMetadata().xml;
        const sig = /<Signature[\s\S]*<\/Signature>/.exec(x)![0];
        return x.replace('</IDPSSODescriptor>', `</IDPSSODescriptor>${sig}`);
      },
      /more than one signature/,
    ],
    [
      'content changed after signing',
      () => appMetadata().xml.replace(`sts.windows.net/${TENANT}/`, 'sts.windows.net/attacker/'),
      /does not verify/,
    ],
    ['XML that is not well formed', () => '<EntityDescriptor><IDPSSODescriptor></EntityDescriptor>', /not well-formed/],
  ];
  for (const [name, make, problem] of hostile) {
    test(`refuses ${name} with a clear message`, () => {
      const r = inspectIdpMetadata(make());
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.problem, problem);
    });
  }
});

describe('SAML trust checks', () => {
  test("an app's own metadata matching Entra passes every check", () => {
    const { xml, thumbprint } = appMetadata();
    const r = inspectIdpMetadata(xml);
    assert.ok(r.ok);
    const checks = idpMetadataChecks(r.value, 'federation.xml', entra(thumbprint), NOW);
    assert.deepEqual(
      checks.filter((c) => c.status !== 'ok'),
      [],
    );
    assert.equal(doctorExitCode(checks, true), 0);
  });

  test('the tenant-independent metadata, fetched without ?appid=, is an error on each count', () => {
    const r = inspectIdpMetadata(COMMON);
    assert.ok(r.ok);
    const checks = idpMetadataChecks(
      r.value,
      'https://login.microsoftonline.com/common/FederationMetadata/2007-06/FederationMetadata.xml',
      entra('AB12'),
      NOW,
    );
    const errors = checks.filter((c) => c.status === 'error').map((c) => c.id);
    assert.ok(errors.includes('saml.metadata-appid'));
    assert.ok(errors.includes('saml.tenant-independent'));
    assert.ok(errors.includes('saml.certificate-match'));
    assert.equal(
      errors.filter((id) => id.startsWith('saml.metadata-cert.')).length,
      3,
      'all three certificates expired',
    );
    assert.equal(checks.find((c) => c.id === 'saml.metadata-rollover')?.status, 'warning');
    assert.equal(doctorExitCode(checks, false), 1);
  });

  test('a certificate expiring within 60 days is a warning that only --strict fails', () => {
    const { xml, thumbprint } = appMetadata(new Date('2026-07-01T00:00:00Z'));
    const r = inspectIdpMetadata(xml);
    assert.ok(r.ok);
    const checks = idpMetadataChecks(r.value, 'federation.xml', entra(thumbprint), NOW);
    assert.equal(checks.find((c) => c.id.startsWith('saml.metadata-cert.'))?.status, 'warning');
    assert.equal(doctorExitCode(checks, false), 0);
    assert.equal(doctorExitCode(checks, true), 1);
  });

  test("the app's identifier and reply URL must be Identity Center's; an expired active certificate is an error", () => {
    const sp = {
      entityId: 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-1',
      acsUrl: 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/d-1',
    };
    const checks = appChecks(
      {
        identifierUris: ['urn:amazon:webservices'],
        redirectUris: [sp.acsUrl],
        certificates: [{ thumbprint: 'AA', endDateTime: '2026-05-01T00:00:00Z', active: true }],
      },
      sp,
      NOW,
    );
    const byId = new Map(checks.map((c) => [c.id, c.status]));
    assert.equal(byId.get('saml.identifier'), 'error');
    assert.equal(byId.get('saml.reply-url'), 'ok');
    assert.equal(byId.get('saml.app-cert'), 'error');
  });
});
