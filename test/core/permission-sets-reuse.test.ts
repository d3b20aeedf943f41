import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { awsManagedDocuments } from '../../src/catalog/managed-policies.js';
import { countAccessPatterns } from '../../src/core/permission-sets-patterns.js';
import { defaultPlanSettings } from '../../src/core/plan-settings.js';
import type { PolicyCompiler } from '../../src/core/policy/compile.js';
import { fullCompiler, planOf } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

/** The same role in three accounts: ReadOnlyAccess plus an `AppData` policy whose bucket differs per account. */
function estate(buckets: string[]) {
  const b = new SnapshotBuilder();
  buckets.forEach((bucket, i) => {
    const id = String(i + 1).repeat(12);
    const a = b.account(id, `acct${i + 1}`, `acct${i + 1}`);
    const app = a.customerPolicy('AppData', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*` }],
    });
    a.group('Developers', { managed: ['ReadOnlyAccess', app] });
    a.user(`dev${i + 1}`, { groups: ['Developers'], tags: { email: `dev${i + 1}@example.com` } });
  });
  return b.build();
}

describe('one permission set across accounts', () => {
  let compiler: PolicyCompiler;
  before(async () => {
    compiler = await fullCompiler();
  });

  test('accounts whose customer managed policy differs only in its document share one set that references it by name', async () => {
    const built = estate(['prod-assets', 'staging-assets', 'dev-assets']);
    const { plan } = await planOf(built, { compiler });
    assert.equal(plan.permissionSets.length, 1, plan.permissionSets.map((p) => p.name).join(', '));
    const [ps] = plan.permissionSets;
    assert.deepEqual(ps.customerManagedPolicies, [{ name: 'AppData', path: '/' }]);
    assert.deepEqual(ps.managedPolicies, ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    assert.equal(ps.inlinePolicy, null);
    assert.match(ps.reason, /AppData referenced by name .*3 accounts.*one permission set instead of 3/);
    // Parity is proven in each account, against that account's own AppData document.
    for (const u of plan.users) {
      assert.deepEqual(u.permissionSets, [ps.name]);
      assert.deepEqual(u.parity.gaps, [], `${u.accountId}/${u.userName}`);
    }
    const floor = countAccessPatterns(plan, built.snapshot, defaultPlanSettings(), compiler, awsManagedDocuments);
    assert.deepEqual([floor.permissionSets, floor.patterns], [1, 1]);
  });

  test('a customer managed policy with the same document everywhere stays merged into the inline policy', async () => {
    const { plan } = await planOf(estate(['shared-assets', 'shared-assets']), { compiler });
    assert.equal(plan.permissionSets.length, 1);
    assert.deepEqual(plan.permissionSets[0].customerManagedPolicies, []);
    assert.match(plan.permissionSets[0].inlinePolicy ?? '', /shared-assets/);
  });
});
