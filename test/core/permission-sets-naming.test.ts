import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Bundle } from '../../src/core/permission-sets-bundle.js';
import { managedLabel, policyLabel } from '../../src/core/permission-sets-labels.js';
import { assignNames, candidateName } from '../../src/core/permission-sets-naming.js';
import type { PolicySource } from '../../src/core/permission-sets-sources.js';
import { PERMISSION_SET_NAME } from '../../src/core/policy/size.js';

const aws = (name: string, via = 'user'): PolicySource => ({
  kind: 'aws-managed',
  id: `arn:aws:iam::aws:policy/${name}`,
  name,
  path: '/',
  document: '{}',
  via,
});
const inline = (name: string, via = 'user'): PolicySource => ({
  kind: 'inline',
  id: `x/${name}`,
  name,
  path: '/',
  document: '{}',
  via,
});

function bundle(sources: PolicySource[]): Bundle {
  const managed = sources.filter((s) => s.kind === 'aws-managed').map((s) => s.id);
  const statements = sources.some((s) => s.kind !== 'aws-managed')
    ? [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['*'] }]
    : [];
  return {
    key: 'k',
    managedPolicies: managed,
    customerManagedPolicies: [],
    inline: statements as unknown as Bundle['inline'],
    boundary: null,
    sources,
    notes: [],
    problems: [],
  };
}

describe('permission set names', () => {
  test('AWS managed policies are labelled by job function or service', () => {
    assert.deepEqual(
      [
        'PowerUserAccess',
        'NetworkAdministrator',
        'AWSGlueConsoleFullAccess',
        'AmazonAthenaFullAccess',
        'AmazonS3ReadOnlyAccess',
      ].map(managedLabel),
      ['PowerUser', 'NetworkAdmin', 'Glue', 'Athena', 'S3Read'],
    );
    assert.equal(policyLabel('my-app-bucket-access'), 'my-app-bucket');
  });

  test('a bundle is named after its IAM groups, then what the user had directly; ViewOnly next to ReadOnly says nothing', () => {
    const b = bundle([
      aws('AWSGlueConsoleFullAccess', 'group DataEngineers'),
      aws('AmazonAthenaFullAccess', 'group DataEngineers'),
      aws('ReadOnlyAccess'),
      aws('ViewOnlyAccess'),
      inline('my-app-bucket-access'),
    ]);
    assert.equal(candidateName(b), 'DataEngineers-ReadOnly-my-app-bucket');
    assert.equal(candidateName(bundle([aws('PowerUserAccess'), aws('SecurityAudit')])), 'PowerUser-SecurityAudit');
    assert.equal(candidateName(bundle([aws('AdministratorAccess', 'group Admins')])), 'AdministratorAccess');
  });

  test('a name too long keeps every word, shortened, instead of a hash; names stay unique and valid', () => {
    const names = assignNames([
      { key: 'a', stem: 'DataEngineers-ReadOnly-my-app-bucket', suffix: '' },
      { key: 'b', stem: 'DataEngineers-ReadOnly-my-app-bucket', suffix: '', bounded: true },
      { key: 'c', stem: 'SecurityAuditors-ReadOnly-DevS3AndEC2', suffix: '' },
    ]);
    assert.deepEqual(
      [...names.values()],
      ['DataEng-ReadOnly-my-app-bucket', 'DataE-ReadO-my-app-buc-Bounded', 'SecAuditors-ReadOnly-DevS3AndEC2'],
    );
    for (const n of names.values()) assert.match(n, PERMISSION_SET_NAME);
  });

  test('of sets that want one name, the bounded ones say -Bounded, the rest take their own account; a hash only for what is left', () => {
    const names = assignNames([
      { key: 'p1', stem: 'Developers', suffix: '', qualifier: 'prod' },
      { key: 'p2', stem: 'Developers', suffix: '', qualifier: 'dev' },
      { key: 'b1', stem: 'Developers', suffix: '', qualifier: 'prod', bounded: true },
      { key: 'x1', stem: 'Developers', suffix: '', qualifier: null },
      { key: 'x2', stem: 'Developers', suffix: '', qualifier: null },
    ]);
    assert.equal(names.get('p1'), 'Developers-prod');
    assert.equal(names.get('p2'), 'Developers-dev');
    assert.equal(names.get('b1'), 'Developers-Bounded');
    assert.match(names.get('x1')!, /^Developers-[0-9a-f]{6}$/);
    assert.equal(new Set(names.values()).size, 5);
  });
});
