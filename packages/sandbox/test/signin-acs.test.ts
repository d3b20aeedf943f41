import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSelfSignedCertificate } from '../src/entra/crypto/x509.js';
import { buildSamlResponse } from '../src/entra/saml/assertion.js';
import { consumeSamlResponse } from '../src/saml-sp/acs.js';
import type { EntraState, EntraUser, SigningCertificate } from '../src/world/entra-state.js';
import type { IdentityStoreUser, SsoState } from '../src/world/sso-state.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const ENTITY = 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890';
const ACS = 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/d-1234567890';
const entra = { tenantId: 'a1b2c3d4-0000-4000-8000-000000000000' } as EntraState;

function signing(): SigningCertificate {
  const c = createSelfSignedCertificate({
    commonName: 'Microsoft Azure Federated SSO Certificate',
    notBefore: new Date('2026-01-01'),
    notAfter: new Date('2029-01-01'),
  });
  return {
    keyId: 'k',
    thumbprint: c.thumbprint,
    certificatePem: c.certificatePem,
    privateKeyPem: c.privateKeyPem,
    startDateTime: new Date('2026-01-01'),
    endDateTime: new Date('2029-01-01'),
    displayName: 'CN=Microsoft Azure Federated SSO Certificate',
  };
}

const trusted = signing();
const other = signing();
const person = {
  id: 'e1',
  userPrincipalName: 'ana.berg@example.com',
  mail: 'ana.berg@example.com',
  givenName: 'Ana',
  surname: 'Berg',
  displayName: 'Ana Berg',
} as EntraUser;
const storeUser = { userId: 's1', userName: 'ana.berg@example.com', active: true } as IdentityStoreUser;
const sso = { users: new Map([['s1', storeUser]]) } as unknown as SsoState;
const source = {
  idpEntityId: `https://sts.windows.net/${entra.tenantId}/`,
  idpSignInUrl: 'https://login.microsoftonline.com/x/saml2',
  certificatesPem: [trusted.certificatePem],
};

function response(
  over: { cert?: SigningCertificate; audience?: string; acsUrl?: string; now?: Date; user?: EntraUser } = {},
): string {
  const xml = buildSamlResponse(entra, {
    user: over.user ?? person,
    audience: over.audience ?? ENTITY,
    acsUrl: over.acsUrl ?? ACS,
    cert: over.cert ?? trusted,
    now: over.now ?? NOW,
  });
  return Buffer.from(xml).toString('base64');
}

const consume = (samlResponse: string, now = NOW) =>
  consumeSamlResponse(sso, source, samlResponse, { entityId: ENTITY, acsUrl: ACS, now });

describe("Identity Center's ACS checks a SAML response as AWS does", () => {
  test('signs in the Identity Store user whose userName is the NameID', () => {
    const r = consume(response());
    assert.ok(r.ok);
    assert.equal(r.user.userId, 's1');
  });

  const refusals: [string, () => string, RegExp, Date?][] = [
    [
      'a response signed with a certificate the identity source does not have',
      () => response({ cert: other }),
      /does not verify/,
    ],
    ['another audience', () => response({ audience: 'urn:amazon:webservices' }), /audience/],
    ['another recipient', () => response({ acsUrl: 'https://evil.example.com/acs' }), /recipient/],
    ['an expired assertion', () => response({ now: new Date(NOW.getTime() - 3 * 3600_000) }), /expired/],
    [
      'a NameID no Identity Center user has',
      () => response({ user: { ...person, userPrincipalName: 'Ana.Berg@example.com' } }),
      /no Identity Center user/,
    ],
    [
      'an unsigned response',
      () =>
        Buffer.from(
          Buffer.from(response(), 'base64')
            .toString()
            .replace(/<Signature[\s\S]*<\/Signature>/, ''),
        ).toString('base64'),
      /not signed/,
    ],
    [
      'two assertions (a wrapped copy next to the signed one)',
      () => {
        const x = Buffer.from(response(), 'base64').toString();
        const a = /<Assertion[\s\S]*<\/Assertion>/.exec(x)![0].replace('ana.berg', 'mallory');
        return Buffer.from(x.replace('</samlp:Response>', `${a}</samlp:Response>`)).toString('base64');
      },
      /2 assertions/,
    ],
    [
      'a changed NameID after signing',
      () =>
        Buffer.from(
          Buffer.from(response(), 'base64')
            .toString()
            .replace('>ana.berg@example.com</NameID>', '>root@example.com</NameID>'),
        ).toString('base64'),
      /does not verify/,
    ],
  ];
  for (const [name, make, reason] of refusals) {
    test(`refuses ${name}`, () => {
      const r = consume(make());
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.reason, reason);
    });
  }
});
