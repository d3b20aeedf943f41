import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { awsManagedDocuments } from '../../src/catalog/managed-policies.js';
import { assignNames, fitName } from '../../src/core/permission-sets-naming.js';
import { countAccessPatterns } from '../../src/core/permission-sets-patterns.js';
import { defaultPlanSettings } from '../../src/core/plan-settings.js';
import type { PolicyCompiler } from '../../src/core/policy/compile.js';
import { measureInlinePolicy, PERMISSION_SET_NAME } from '../../src/core/policy/size.js';
import { fullCompiler, planOf, SEED_INLINE } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const MANAGED_15 = [
  'AmazonS3ReadOnlyAccess',
  'AmazonEC2ReadOnlyAccess',
  'AmazonDynamoDBReadOnlyAccess',
  'AmazonSQSReadOnlyAccess',
  'AmazonSNSReadOnlyAccess',
  'AmazonRDSReadOnlyAccess',
  'AWSLambda_ReadOnlyAccess',
  'CloudWatchReadOnlyAccess',
  'AmazonSESReadOnlyAccess',
  'AmazonRoute53ReadOnlyAccess',
  'IAMReadOnlyAccess',
  'AmazonECS_FullAccess',
  'AmazonKinesisReadOnlyAccess',
  'AWSCloudFormationReadOnlyAccess',
  'AmazonSSMReadOnlyAccess',
];

describe('permission sets', () => {
  let compiler: PolicyCompiler;
  before(async () => {
    compiler = await fullCompiler();
  });

  test('AWS managed job functions keep their names and get the session duration of their kind', async () => {
    const b = new SnapshotBuilder();
    b.account('111111111111', 'prod', 'prod')
      .user('admin', { managed: ['AdministratorAccess'] })
      .user('reader', { managed: ['ReadOnlyAccess'] })
      .user('viewer', { managed: ['ViewOnlyAccess'] })
      .user('power', { managed: ['PowerUserAccess'] })
      .user('auditor', { managed: ['SecurityAudit'] });
    const { plan } = await planOf(b.build(), { compiler });
    const byName = new Map(plan.permissionSets.map((p) => [p.name, p]));
    assert.equal(byName.get('AdministratorAccess')?.sessionDuration, 'PT1H');
    assert.equal(byName.get('ReadOnlyAccess')?.sessionDuration, 'PT12H');
    assert.equal(byName.get('ViewOnlyAccess')?.sessionDuration, 'PT12H');
    assert.equal(byName.get('SecurityAudit')?.sessionDuration, 'PT12H');
    assert.equal(byName.get('PowerUserAccess')?.sessionDuration, 'PT8H');
    assert.deepEqual(byName.get('ViewOnlyAccess')?.managedPolicies, [
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
  });

  test('identical bundles across users and accounts become one permission set', async () => {
    const b = new SnapshotBuilder();
    for (const id of ['111111111111', '222222222222', '333333333333']) {
      const a = b.account(id, `acct-${id.slice(0, 1)}`);
      a.group('Developers', { inline: { app: SEED_INLINE } });
      a.user(`dev-${id.slice(0, 1)}`, { groups: ['Developers'] });
      a.user('also-dev', { inline: { same: SEED_INLINE } });
    }
    const { plan } = await planOf(b.build(), { compiler });
    assert.equal(plan.permissionSets.length, 1);
    assert.equal(plan.permissionSets[0].name, 'Developers');
    assert.deepEqual(JSON.parse(plan.permissionSets[0].inlinePolicy!), SEED_INLINE);
    assert.match(plan.permissionSets[0].reason, /6 users in 3 accounts/);
  });

  test('customer managed and inline policies merge into one minified inline policy; boundaries carry over', async () => {
    const b = new SnapshotBuilder();
    const a = b.account('111111111111', 'prod');
    const cmp = a.customerPolicy(
      'TeamDynamo',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }] },
      '/team/',
    );
    a.user('dana', {
      managed: [cmp, 'AmazonS3ReadOnlyAccess'],
      inline: { ec2: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] } },
      boundary: 'PowerUserAccess',
    });
    const { plan } = await planOf(b.build(), { compiler });
    const ps = plan.permissionSets[0];
    assert.deepEqual(ps.managedPolicies, ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    assert.deepEqual(JSON.parse(ps.inlinePolicy!).Statement, [
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: '*' },
    ]);
    assert.ok(!ps.inlinePolicy!.includes(' '));
    assert.deepEqual(ps.permissionsBoundary, { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    assert.deepEqual(plan.users[0].parity.gaps, []);
  });

  test('with customerManagedPolicies: reference, customer managed policies are referenced by name and path', async () => {
    const b = new SnapshotBuilder();
    const a = b.account('111111111111', 'prod');
    const cmp = a.customerPolicy(
      'TeamDynamo',
      { Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }] },
      '/team/',
    );
    a.user('dana', { managed: [cmp] });
    const settings = { ...defaultPlanSettings(), customerManagedPolicies: 'reference' as const };
    const { plan } = await planOf(b.build(), { compiler, settings });
    assert.deepEqual(plan.permissionSets[0].customerManagedPolicies, [{ name: 'TeamDynamo', path: '/team/' }]);
    assert.equal(plan.permissionSets[0].inlinePolicy, null);
    assert.deepEqual(plan.users[0].parity.gaps, []);
  });

  for (const [count, parts] of [
    [10, 1],
    [11, 2],
  ] as const) {
    test(`${count} managed policies make ${parts} permission set${parts > 1 ? 's' : ''} at the default quota of 10`, async () => {
      const b = new SnapshotBuilder();
      b.account('111111111111', 'prod').user('many', { managed: MANAGED_15.slice(0, count) });
      const { plan } = await planOf(b.build(), { compiler });
      assert.equal(plan.permissionSets.length, parts);
      for (const ps of plan.permissionSets) assert.ok(ps.managedPolicies.length <= 10);
      if (parts > 1) assert.match(plan.permissionSets[0].reason, /exceed the quota of 10/);
      assert.equal(plan.users[0].permissionSets.length, parts);
      assert.deepEqual(plan.users[0].parity.gaps, [], 'the parts together give the same access');
    });
  }

  test('a raised quota of 25 keeps 15 managed policies in one permission set', async () => {
    const b = new SnapshotBuilder();
    b.account('111111111111', 'prod').user('many', { managed: MANAGED_15 });
    const { plan } = await planOf(b.build(), {
      compiler,
      settings: { ...defaultPlanSettings(), managedPoliciesQuota: 25 },
    });
    assert.equal(plan.permissionSets.length, 1);
  });

  test('an inline policy past 10,240 non-whitespace characters is split, Denies kept in every part, parity intact', async () => {
    const statements = Array.from({ length: 50 }, (_, i) => ({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `arn:aws:s3:::team-bucket-${i}-${'x'.repeat(200)}/*`,
    }));
    const b = new SnapshotBuilder();
    b.account('111111111111', 'prod').user('big', {
      inline: {
        buckets: {
          Version: '2012-10-17',
          Statement: [...statements, { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }],
        },
      },
    });
    const { plan } = await planOf(b.build(), { compiler });
    assert.ok(plan.permissionSets.length >= 2);
    for (const ps of plan.permissionSets) {
      assert.ok(measureInlinePolicy(ps.inlinePolicy!).fits);
      assert.ok(ps.inlinePolicy!.includes('"Deny"'));
      assert.match(
        ps.reason,
        /Part \d of \d+: the merged inline policy needs [\d,]+ non-whitespace characters \(limit 10,240\)/,
      );
      assert.match(ps.name, PERMISSION_SET_NAME);
    }
    assert.deepEqual(plan.users[0].parity.gaps, []);
    assert.deepEqual(plan.users[0].parity.excess, []);
  });

  test('names: 32 characters are kept, longer names lose letters from their longest word, a hash only when forced; invalid characters are replaced', () => {
    const n32 = 'A'.repeat(32);
    const n33 = 'B'.repeat(33);
    assert.equal(fitName(n32, '', 'k1'), n32);
    assert.equal(fitName(n33, '', 'k2'), 'B'.repeat(32));
    assert.equal(fitName('DataEngineers-ReadOnly-my-app-bucket', '', 'k4'), 'DataEng-ReadOnly-my-app-bucket');
    assert.equal(fitName('DataEngineers-ReadOnly-my-app-bucket', '-Bounded', 'k4'), 'DataE-ReadO-my-app-buc-Bounded');
    assert.match(fitName(n33, '', 'k2', true), /^B{25}-[0-9a-f]{6}$/);
    assert.match(fitName('Team Data/Eng (prod)', '', 'k3'), PERMISSION_SET_NAME);
    assert.equal(fitName('Team Data/Eng (prod)', '', 'k3'), 'Team-Data-Eng-prod');
    assert.equal(fitName(n33, '-2', 'k2').length, 32);
  });

  test('names: two different bundles that want the same name both get a hash suffix', () => {
    const names = assignNames([
      { key: 'aaa', stem: 'Developers', suffix: '' },
      { key: 'bbb', stem: 'Developers', suffix: '' },
      { key: 'ccc', stem: 'Ops', suffix: '' },
    ]);
    assert.notEqual(names.get('aaa'), names.get('bbb'));
    assert.match(names.get('aaa')!, /^Developers-[0-9a-f]{6}$/);
    assert.equal(names.get('ccc'), 'Ops');
  });

  test('self-service statements and IAMUserChangePassword are dropped with a note, and parity stays clean', async () => {
    const b = new SnapshotBuilder();
    b.account('111111111111', 'prod', 'prod').user('ana', {
      managed: ['IAMUserChangePassword', 'AmazonS3ReadOnlyAccess'],
      inline: {
        own: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:ChangePassword'],
              // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
              Resource: 'arn:aws:iam::*:user/${aws:username}',
            },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:111111111111:jobs' },
          ],
        },
      },
    });
    const { plan } = await planOf(b.build(), { compiler });
    const [ps] = plan.permissionSets;
    assert.equal(plan.permissionSets.length, 1);
    assert.deepEqual(ps.managedPolicies, ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    assert.doesNotMatch(ps.inlinePolicy ?? '', /iam:|aws:username/);
    assert.match(ps.inlinePolicy ?? '', /sqs:SendMessage/);
    const notes = plan.users[0].notes.join('\n');
    assert.match(notes, /dropped IAMUserChangePassword: it only manages the IAM user's own credentials/);
    assert.match(notes, /dropped 1 self-service statement\(s\) from inline own/);
    assert.deepEqual(plan.users[0].parity.gaps, []);
  });

  test('policies subsumed in a bundle are dropped, proved by parity: AdministratorAccess stands alone', async () => {
    const b = new SnapshotBuilder();
    b.account('111111111111', 'prod', 'prod')
      .user('boss', { managed: ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess'] })
      .user('admin', { managed: ['AdministratorAccess'] })
      .user('lead', { managed: ['PowerUserAccess', 'ReadOnlyAccess'] });
    const { plan } = await planOf(b.build(), { compiler });
    // ReadOnlyAccess reads IAM, which PowerUserAccess does not allow: next to it, it stays.
    assert.deepEqual(plan.permissionSets.map((p) => p.name).sort(), ['AdministratorAccess', 'PowerUser-ReadOnly']);
    const lead = plan.users.find((u) => u.userName === 'lead')!;
    assert.ok(!lead.notes.some((n) => n.startsWith('dropped')), lead.notes.join('; '));
    const boss = plan.users.find((u) => u.userName === 'boss')!;
    assert.deepEqual(boss.permissionSets, ['AdministratorAccess']);
    assert.ok(
      boss.notes.some((n) => /dropped PowerUserAccess: .*AdministratorAccess \(parity: no access lost\)/.test(n)),
    );
    assert.ok(boss.notes.some((n) => /dropped ReadOnlyAccess/.test(n)));
    for (const u of plan.users) assert.deepEqual(u.parity.gaps, [], u.userName);
  });

  test('two different Developers groups are named after their accounts, not a hash', async () => {
    const b = new SnapshotBuilder();
    for (const [id, alias] of [
      ['111111111111', 'prod'],
      ['222222222222', 'dev'],
    ]) {
      const a = b.account(id, alias, alias);
      a.group('Developers', {
        inline: {
          app: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::app-${alias}/*` }] },
        },
      });
      a.user(`dev-${alias}`, { groups: ['Developers'] });
    }
    const { plan } = await planOf(b.build(), { compiler });
    assert.deepEqual(plan.permissionSets.map((p) => p.name).sort(), ['Developers-dev', 'Developers-prod']);
    assert.ok(
      plan.groups.every((g) => !/-[0-9a-f]{6}/.test(g.name)),
      plan.groups.map((g) => g.name).join(', '),
    );
  });

  test('of two sets named alike, the one under a permissions boundary says -Bounded; the floor counts both', async () => {
    const b = new SnapshotBuilder();
    const a = b.account('111111111111', 'prod', 'prod');
    const boundary = a.customerPolicy('DeveloperBoundary', {
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    a.user('free', { managed: ['AdministratorAccess'] });
    a.user('bound', { managed: ['AdministratorAccess'], boundary });
    const built = b.build();
    const { plan } = await planOf(built, { compiler });
    assert.deepEqual(plan.permissionSets.map((p) => p.name).sort(), [
      'AdministratorAccess',
      'AdministratorAccess-Bounded',
    ]);
    assert.match(
      plan.permissionSets.find((p) => p.name.endsWith('Bounded'))!.reason,
      /permissions boundary DeveloperBoundary/,
    );
    const count = countAccessPatterns(plan, built.snapshot, defaultPlanSettings(), compiler, awsManagedDocuments);
    assert.deepEqual(count, { permissionSets: 2, patterns: 2, migrating: 2 });
  });

  test('bundles that differ only by account ids are one access pattern (the floor is below the set count)', async () => {
    const b = new SnapshotBuilder();
    for (const id of ['111111111111', '222222222222']) {
      b.account(id, `a${id[0]}`, `a${id[0]}`).user('dev', {
        inline: {
          q: {
            Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:eu-west-1:${id}:jobs` }],
          },
        },
      });
    }
    const built = b.build();
    const { plan } = await planOf(built, { compiler });
    const count = countAccessPatterns(plan, built.snapshot, defaultPlanSettings(), compiler, awsManagedDocuments);
    assert.deepEqual(count, { permissionSets: 2, patterns: 1, migrating: 2 });
  });
});
