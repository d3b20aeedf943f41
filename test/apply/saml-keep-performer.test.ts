import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { samlKeepPerformer } from '../../src/apply/saml-keep.js';
import type { SamlKeepIamPort } from '../../src/aws/iam-saml-keep.js';
import type { SamlKeepChange } from '../../src/core/reconcile/changes-saml-keep.js';
import type { GraphApi } from '../../src/entra/graph-client.js';
import type { AppReader, AppWriter, EnterpriseApp } from '../../src/entra/ports.js';

const ACCOUNT = '222222222222';
const app: EnterpriseApp = {
  appObjectId: 'obj-1',
  appId: 'app-1',
  servicePrincipalId: 'sp-1',
  displayName: 'AWS Gov',
  applicationTemplateId: '8b1025e4-1dd2-430b-a150-2ef79cd700f5',
  preferredSingleSignOnMode: 'saml',
  preferredTokenSigningKeyThumbprint: 'AB',
  identifierUris: ['https://signin.aws.amazon.com/saml#222222222222'],
  redirectUris: ['https://signin.aws.amazon.com/saml'],
  signingCertificates: [],
  appRoles: [],
};

/** A Graph that keeps the service principal's app roles and answers the one group lookup. */
function fakeGraph(calls: string[]) {
  let appRoles: { id: string; value: string | null; isEnabled: boolean }[] = [];
  const graph = {
    async get(path: string) {
      calls.push(`GET ${path}`);
      return { appRoles };
    },
    async patch(path: string, _op: string, body: { appRoles: typeof appRoles }) {
      calls.push(`PATCH ${path} ${JSON.stringify(body.appRoles.map((r) => [r.value, r.isEnabled]))}`);
      appRoles = body.appRoles;
    },
    async post(path: string, _op: string, body: unknown) {
      calls.push(`POST ${path} ${JSON.stringify(body)}`);
      return {};
    },
    async pages(path: string) {
      calls.push(`GET ${path}`);
      return { items: path.startsWith('/groups') ? [{ id: 'g-1' }] : [], deltaLink: null };
    },
    async delete(path: string) {
      calls.push(`DELETE ${path}`);
    },
  };
  return graph as unknown as GraphApi;
}

function fakeIam(calls: string[]): SamlKeepIamPort {
  const log =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push(`${name} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
      return 'arn';
    };
  return {
    getProvider: async () => null,
    createProvider: log('CreateSAMLProvider'),
    updateProvider: log('UpdateSAMLProvider') as unknown as SamlKeepIamPort['updateProvider'],
    deleteProvider: log('DeleteSAMLProvider') as unknown as SamlKeepIamPort['deleteProvider'],
    getRole: async () => null,
    createRole: log('CreateRole'),
    deleteRole: log('DeleteRole') as unknown as SamlKeepIamPort['deleteRole'],
    attachPolicy: log('AttachRolePolicy') as unknown as SamlKeepIamPort['attachPolicy'],
    detachPolicy: log('DetachRolePolicy') as unknown as SamlKeepIamPort['detachPolicy'],
  };
}

describe('the direct SAML performer', () => {
  test('names the provider and role in the caller’s partition: the trust, the app role value, and its removal (disabled first)', async () => {
    const calls: string[] = [];
    const performer = samlKeepPerformer({
      iam: async () => fakeIam(calls),
      partition: async () => 'aws-us-gov',
      graph: fakeGraph(calls),
      apps: { findApps: async () => [app], federationMetadata: async () => '<md/>' } as unknown as AppReader,
      appWriter: {} as AppWriter,
    });
    const run = (c: SamlKeepChange) => performer.perform(c, {}, () => undefined);
    await run({
      kind: 'saml.keep.provider.create',
      accountId: ACCOUNT,
      name: 'EntraID',
      app: 'AWS Gov',
      metadata: null,
    });
    await run({ kind: 'saml.keep.role.create', accountId: ACCOUNT, roleName: 'Ops', provider: 'EntraID' });
    await run({
      kind: 'saml.keep.app-role.add',
      accountId: ACCOUNT,
      app: 'AWS Gov',
      roleName: 'Ops',
      provider: 'EntraID',
    });
    await run({ kind: 'saml.keep.assign', accountId: ACCOUNT, app: 'AWS Gov', roleName: 'Ops', group: 'ops' });
    await run({
      kind: 'saml.keep.app-role.remove',
      accountId: ACCOUNT,
      app: 'AWS Gov',
      roleName: 'Ops',
      provider: 'EntraID',
    });
    const provider = `arn:aws-us-gov:iam::${ACCOUNT}:saml-provider/EntraID`;
    const value = `arn:aws-us-gov:iam::${ACCOUNT}:role/Ops,${provider}`;
    // The provider is made from the app's federation metadata, read when the change runs.
    assert.ok(calls.includes('CreateSAMLProvider EntraID <md/> {"managed-by":"iam2sso"}'), calls.join('\n'));
    const trust = JSON.parse(calls.find((c) => c.startsWith('CreateRole'))!.split(' ')[2]);
    assert.deepEqual(trust.Statement[0].Principal, { Federated: provider });
    assert.deepEqual(trust.Statement[0].Condition, {
      StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' },
    });
    const patches = calls.filter((c) => c.startsWith('PATCH'));
    assert.deepEqual(patches, [
      `PATCH /servicePrincipals/sp-1 ${JSON.stringify([[value, true]])}`,
      `PATCH /servicePrincipals/sp-1 ${JSON.stringify([[value, false]])}`,
      'PATCH /servicePrincipals/sp-1 []',
    ]);
    const assign = calls.find((c) => c.startsWith('POST /servicePrincipals/sp-1/appRoleAssignedTo'))!;
    assert.match(assign, /"principalId":"g-1","resourceId":"sp-1","appRoleId":"[0-9a-f-]{36}"/);
  });
});
