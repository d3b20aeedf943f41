import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directSamlEntraLines, readDirectSamlEntra } from '../../src/cli/audit-direct-saml.js';

const federation = {
  accountId: '222222222222',
  providers: [{ arn: 'arn:aws:iam::222222222222:saml-provider/EntraID', roles: ['Entra-Admin'] }],
  provisioningUsers: [],
};

describe('the Entra half of audit for direct SAML federation', () => {
  it('reads nothing from Entra when the AWS side found no direct federation', async () => {
    assert.equal(await readDirectSamlEntra([], undefined, {}), null);
  });

  it('without an Entra tenant configured, says plainly that the audit covers the AWS side alone', async () => {
    const entra = await readDirectSamlEntra([federation], undefined, {});
    assert.equal(entra?.status, 'not-configured');
    const [line] = directSamlEntraLines(entra);
    assert.match(
      line,
      /not read: Entra not configured \(no Entra tenant: .*AZURE_TENANT_ID.*\).*AWS side of direct federation alone/,
    );
  });
});
