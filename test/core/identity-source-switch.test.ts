import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessSwitch } from '../../src/core/identity-source-switch.js';
import { switchChecks } from '../../src/doctor/switch.js';

const entra = [
  { userPrincipalName: 'ana@example.com', mail: 'ana@example.com', accountEnabled: true },
  { userPrincipalName: 'bo@example.com', mail: 'bo@example.com', accountEnabled: false },
  { userPrincipalName: 'cy.long@example.com', mail: 'cy@example.com', accountEnabled: true },
  { userPrincipalName: 'dee1@example.com', mail: 'dee@example.com', accountEnabled: true },
  { userPrincipalName: 'dee2@example.com', mail: 'dee@example.com', accountEnabled: true },
];
const user = (userName: string, email = userName, externalIds: string[] = []) => ({
  id: `id-${userName}`,
  userName,
  emails: [email],
  externalIds,
});

describe('identity-source switch readiness', () => {
  it('keeps exact UPNs on enabled accounts and says why everyone else loses sign-in', () => {
    const out = assessSwitch(
      [
        user('ANA@example.com'),
        user('bo@example.com'),
        user('cy', 'cy@example.com'),
        user('dee', 'dee@example.com'),
        user('eve@partner.example'),
      ],
      entra,
    );
    assert.deepEqual(
      out.map((o) => [o.userName, o.keeps ? `keeps as ${o.upn}` : o.reason]),
      [
        ['ANA@example.com', 'keeps as ana@example.com'],
        ['bo@example.com', 'entra-disabled'],
        ['cy', 'not-a-upn'],
        ['dee', 'ambiguous'],
        ['eve@partner.example', 'no-entra-user'],
      ],
    );
    const cy = out.find((o) => o.userName === 'cy');
    assert.ok(cy && !cy.keeps && cy.fix.includes('rename the Identity Center user to cy.long@example.com'));
  });

  it('is go when every directory user matches, and leaves out users provisioned by SCIM or made by iam2sso', () => {
    const [go] = switchChecks(
      [user('ana@example.com'), user('x@elsewhere.example', 'x', ['entra-id']), user('made@example.com')],
      entra,
      new Set(['made@example.com']),
    );
    assert.equal(go.status, 'ok');
    assert.match(go.title, /^go: all 1 Identity Center directory users/);
    assert.deepEqual(switchChecks([user('y@z.example', 'y', ['scim'])], entra, new Set()), []);
  });
});
