import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isProvisioningUser,
  parseSamlRoleValue,
  recognizeDirectSaml,
  roleOfArn,
  trustedSamlProviders,
  trustsDirectSaml,
} from '../../src/core/direct-saml.js';
import type { AccountSnapshot, UserRecord } from '../../src/core/model.js';

const PROVIDER = 'arn:aws:iam::222222222222:saml-provider/EntraID';
const trust = (federated: string, action = 'sts:AssumeRoleWithSAML') =>
  JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Federated: federated }, Action: action }] });
const policy = (...actions: string[]) =>
  JSON.stringify({ Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
const user = (userName: string, document: string) =>
  ({
    userName,
    accountId: '222222222222',
    inlinePolicies: [{ name: 'p', document }],
    attachedPolicies: [],
  }) as unknown as UserRecord;

const account = {
  accountId: '222222222222',
  samlProviders: [
    { arn: PROVIDER, validUntil: null },
    { arn: 'arn:aws:iam::222222222222:saml-provider/AWSSSO_abc_DO_NOT_DELETE', validUntil: null },
  ],
  roles: [
    { name: 'Entra-Admin', arn: 'arn:aws:iam::222222222222:role/Entra-Admin', trustPolicy: trust(PROVIDER) },
    {
      name: 'Ci',
      arn: 'arn:aws:iam::222222222222:role/Ci',
      trustPolicy: trust('arn:aws:iam::222222222222:oidc-provider/x', 'sts:AssumeRoleWithWebIdentity'),
    },
  ],
  users: [
    user('reader', policy('iam:ListRoles', 'iam:ListAccountAliases')),
    user('dev', policy('iam:ListRoles', 's3:*')),
  ],
  policies: [],
} as unknown as AccountSnapshot;

describe('direct SAML federation', () => {
  it('finds the providers (not Identity Center’s), the roles trusting each, and the user allowed only to list roles', () => {
    assert.deepEqual(recognizeDirectSaml(account), {
      accountId: '222222222222',
      providers: [{ arn: PROVIDER, roles: ['Entra-Admin'] }],
      provisioningUsers: ['reader'],
    });
    assert.equal(recognizeDirectSaml({ ...account, samlProviders: [account.samlProviders[1]] }), null);
  });

  it('reads SAML trust only from Allow statements on sts:AssumeRoleWithSAML', () => {
    assert.deepEqual(trustedSamlProviders(trust(PROVIDER)), [PROVIDER]);
    assert.deepEqual(trustedSamlProviders(trust(PROVIDER, 'sts:AssumeRole')), []);
    assert.equal(isProvisioningUser(account.users[1], account), false);
  });

  it('counts as direct federation only a trust in a provider that is not Identity Center’s (whose roles audit keeps no policies of)', () => {
    assert.equal(trustsDirectSaml(trust(PROVIDER)), true);
    assert.equal(trustsDirectSaml(trust('arn:aws:iam::222222222222:saml-provider/AWSSSO_abc_DO_NOT_DELETE')), false);
  });

  it('reads an Entra app role value as its role and provider in either order, and nothing else as one', () => {
    const role = 'arn:aws:iam::222222222222:role/team/Entra-Admin';
    assert.deepEqual(parseSamlRoleValue(`${role},${PROVIDER}`), { roleArn: role, providerArn: PROVIDER });
    assert.deepEqual(parseSamlRoleValue(`${PROVIDER}, ${role}`), { roleArn: role, providerArn: PROVIDER });
    assert.equal(parseSamlRoleValue(null), null);
    assert.equal(parseSamlRoleValue('msiam_access'), null);
    assert.equal(parseSamlRoleValue(`${role},${role}`), null);
    assert.deepEqual(roleOfArn(role), { accountId: '222222222222', roleName: 'Entra-Admin' });
  });
});
