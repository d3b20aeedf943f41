import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parseConfig } from '../../src/config/config.js';
import { type DirectoryLookup, type DirectoryUser, resolveIdentities } from '../../src/core/identity-map.js';
import { diffPlans } from '../../src/core/plan-diff.js';
import { fingerprintSnapshot, staleAccounts } from '../../src/core/plan-fingerprint.js';
import { defaultPlanSettings } from '../../src/core/plan-settings.js';
import type { PolicyCompiler } from '../../src/core/policy/compile.js';
import { parsePlanText } from '../../src/plan-file/read.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';
import { fullCompiler, planOf, SEED_INLINE } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

function estate() {
  const b = new SnapshotBuilder();
  for (const [id, name] of [
    ['111111111111', 'Production'],
    ['222222222222', 'Development'],
  ]) {
    const a = b.account(id, name, name.toLowerCase());
    a.group('Developers', { inline: { app: SEED_INLINE } });
    a.user('alice', { managed: ['AdministratorAccess'], tags: { email: 'alice@example.com' } });
    a.user('bob', { groups: ['Developers'], tags: { email: 'bob@example.com' } });
    a.user('deploy-bot', {
      category: 'service',
      managed: ['AmazonS3FullAccess'],
      tags: { repository: 'https://github.com/acme/web.git' },
    });
    a.user('breakglass', { category: 'break-glass', managed: ['AdministratorAccess'] });
    a.user('old-timer', { category: 'stale', managed: ['ReadOnlyAccess'] });
  }
  return b;
}

describe('planMigration', () => {
  let compiler: PolicyCompiler;
  before(async () => {
    compiler = await fullCompiler();
  });

  test('a permission set given to the same people in every account becomes one AWS-AllAccounts group', async () => {
    const b = new SnapshotBuilder();
    for (const id of ['111111111111', '222222222222']) {
      const a = b.account(id, `acct${id[0]}`, `alias${id[0]}`);
      a.user('alice', { managed: ['Billing'], tags: { email: 'alice@example.com' } });
      a.user('bob', {
        managed: ['ReadOnlyAccess'],
        tags: { email: id.startsWith('1') ? 'bob@example.com' : 'robert@example.com' },
      });
    }
    const { plan } = await planOf(b.build(), { compiler });
    const billing = plan.groups.find((g) => g.name === 'AWS-AllAccounts-Billing');
    assert.ok(billing, plan.groups.map((g) => g.name).join(', '));
    assert.deepEqual(billing.members, ['alice@example.com']);
    assert.deepEqual(
      billing.assignments.map((a) => a.accountId),
      ['111111111111', '222222222222'],
    );
    assert.deepEqual(
      plan.groups
        .filter((g) => g.name.includes('ReadOnlyAccess'))
        .map((g) => g.name)
        .sort(),
      ['AWS-alias1-ReadOnlyAccess', 'AWS-alias2-ReadOnlyAccess'],
    );
  });

  test('each category gets its action: humans migrate, service replaced, break-glass kept, stale decommissioned', async () => {
    const b = new SnapshotBuilder();
    const a = b.account('111111111111', 'prod', 'prod');
    a.user('alice', { managed: ['ReadOnlyAccess'], tags: { email: 'alice@example.com' } });
    a.user('carl', {
      category: 'human-programmatic',
      managed: ['ReadOnlyAccess'],
      tags: { email: 'carl@example.com' },
    });
    a.user('ci', {
      category: 'service',
      managed: ['AmazonS3FullAccess'],
      tags: { repository: 'https://github.com/acme/web.git' },
    });
    a.user('lambda-exporter', { category: 'service', managed: ['AmazonS3ReadOnlyAccess'] });
    a.user('jenkins', { category: 'service', managed: ['AmazonS3ReadOnlyAccess'] });
    a.user('legacy-app', { category: 'service', managed: ['AmazonS3ReadOnlyAccess'], lastUsedService: 's3' });
    a.user('breakglass', { category: 'break-glass', managed: ['AdministratorAccess'] });
    a.user('gone', { category: 'stale', managed: ['ReadOnlyAccess'] });
    const { plan } = await planOf(b.build(), { compiler });
    const action = (n: string) => plan.users.find((u) => u.userName === n)?.action;
    assert.deepEqual(['alice', 'carl', 'ci', 'breakglass', 'gone'].map(action), [
      'migrate',
      'migrate',
      'replace',
      'keep',
      'decommission',
    ]);
    const rec = (n: string) => plan.serviceAccounts.find((s) => s.userName === n)!;
    assert.equal(rec('ci').recommendation, 'github-actions-oidc');
    const trust = JSON.parse(rec('ci').trustPolicy!);
    assert.equal(
      trust.Statement[0].Principal.Federated,
      'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    );
    assert.equal(
      trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:aud'],
      'sts.amazonaws.com',
    );
    assert.equal(trust.Statement[0].Condition.StringLike['token.actions.githubusercontent.com:sub'], 'repo:acme/web:*');
    assert.equal(rec('lambda-exporter').recommendation, 'iam-role-on-compute');
    assert.equal(
      JSON.parse(rec('lambda-exporter').trustPolicy!).Statement[0].Principal.Service,
      'lambda.amazonaws.com',
    );
    assert.equal(rec('jenkins').recommendation, 'iam-roles-anywhere');
    assert.equal(rec('legacy-app').recommendation, 'keep-with-rotation');
    assert.match(rec('legacy-app').reason, /s3/);
    assert.equal(plan.groups.flatMap((g) => g.members).includes('breakglass'), false);
  });

  test('identity mapping: mapping file, then tag, then template; ambiguous and unmapped users block only themselves', async () => {
    const b = new SnapshotBuilder();
    const a = b.account('111111111111', 'prod', 'prod');
    a.user('alice', { managed: ['ReadOnlyAccess'], tags: { email: 'alice.tag@example.com' } });
    a.user('bob', { managed: ['ReadOnlyAccess'], tags: { Email: 'bob.tag@example.com' } });
    a.user('carol', { managed: ['ReadOnlyAccess'] });
    a.user('dave', { managed: ['ReadOnlyAccess'] });
    const { snapshot } = b.build();
    const users = snapshot.accounts[0].users;
    const settings = { ...defaultPlanSettings().identity, template: '{user}@corp.example.com' };
    const mapping = [
      { accountId: '111111111111', userName: 'alice', upn: 'alice@corp.example.com' },
      { accountId: '*', userName: 'dave', upn: 'dave1@example.com' },
      { accountId: '111111111111', userName: 'dave', upn: 'dave2@example.com' },
    ];
    const ids = await resolveIdentities(users, { settings, mapping }, null);
    assert.deepEqual(ids.get('111111111111/alice'), {
      status: 'mapped',
      upn: 'alice@corp.example.com',
      source: 'mapping-file',
      detail: 'mapping file',
    });
    assert.equal((ids.get('111111111111/bob') as { source: string }).source, 'tag');
    assert.equal((ids.get('111111111111/carol') as { upn: string }).upn, 'carol@corp.example.com');
    assert.equal(ids.get('111111111111/dave')?.status, 'mapped', 'an account-specific row wins over a * row');
    const noTemplate = await resolveIdentities(users, { settings: defaultPlanSettings().identity, mapping: [] }, null);
    assert.equal(noTemplate.get('111111111111/carol')?.status, 'unmapped');
    const dup = await resolveIdentities(
      users,
      { settings, mapping: [...mapping, { accountId: '111111111111', userName: 'alice', upn: 'a2@example.com' }] },
      null,
    );
    assert.equal(dup.get('111111111111/alice')?.status, 'ambiguous');
    const { plan } = await planOf(b.build(), { compiler });
    const carol = plan.users.find((u) => u.userName === 'carol')!;
    assert.equal(carol.upn, null);
    assert.match(carol.blockedBy[0], /no Entra UPN/);
    assert.deepEqual(plan.users.find((u) => u.userName === 'alice')!.blockedBy, []);
  });

  test('identity mapping: the directory port resolves users the rules cannot place, and reports ambiguity', async () => {
    const people: DirectoryUser[] = [
      { id: '1', userPrincipalName: 'erin@corp.example.com', mail: 'erin@example.com', displayName: 'Erin' },
      { id: '2', userPrincipalName: 'sam.a@corp.example.com', mail: null, displayName: 'Sam A' },
      { id: '3', userPrincipalName: 'sam.b@corp.example.com', mail: null, displayName: 'Sam B' },
    ];
    const directory: DirectoryLookup = {
      findByUpn: async (upn) => people.find((p) => p.userPrincipalName === upn) ?? null,
      findByMail: async (mail) => people.filter((p) => p.mail === mail),
      search: async (text) => people.filter((p) => p.userPrincipalName.startsWith(text)),
    };
    const b = new SnapshotBuilder();
    b.account('111111111111', 'prod')
      .user('erin', { tags: { email: 'erin@example.com' } })
      .user('sam')
      .user('zed');
    const users = b.build().snapshot.accounts[0].users;
    const settings = { ...defaultPlanSettings().identity, directoryLookup: true };
    const ids = await resolveIdentities(users, { settings, mapping: [] }, directory);
    assert.deepEqual(ids.get('111111111111/erin'), {
      status: 'mapped',
      upn: 'erin@corp.example.com',
      source: 'directory',
      detail: 'directory user with mail erin@example.com',
      directoryMatch: 'mail',
    });
    assert.deepEqual((ids.get('111111111111/sam') as { candidates: string[] }).candidates, [
      'sam.a@corp.example.com',
      'sam.b@corp.example.com',
    ]);
    assert.equal(ids.get('111111111111/zed')?.status, 'unmapped');
  });

  test('the plan file round trip keeps edits: name, duration, upn, acknowledged gaps, action, trust policy, comments', async () => {
    const built = estate().build();
    const first = await planOf(built, { compiler });
    const text = renderPlanYaml(first.plan);
    const read = parsePlanText(text, 'migration-plan.yaml', { quota: 10, strict: true });
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.plan, first.plan, 'render then read gives the same plan');
    const dev = first.plan.permissionSets.find((p) => p.name === 'Developers')!;
    const edited = text
      .replace('name: Developers\n', 'name: AppTeam # renamed for the app team\n')
      .replace(/(name: AppTeam # renamed for the app team\n\s+sessionDuration:) PT8H/, '$1 PT4H')
      .replace(/(userName: bob\n(?:.*\n)*?\s+upn:) bob@example.com/, '$1 robert@example.com')
      .replace(/(userName: breakglass\n(?:.*\n)*?\s+action:) keep/, '$1 decommission')
      .replace('repo:acme/web:*', 'repo:acme/web:ref:refs/heads/main');
    const previous = parsePlanText(edited, 'migration-plan.yaml', { quota: 10, strict: false });
    assert.deepEqual(previous.problems, []);
    const second = await planOf(built, { compiler, previous: previous.plan });
    const ps = second.plan.permissionSets.find((p) => p.key === dev.key)!;
    assert.equal(ps.name, 'AppTeam');
    assert.equal(ps.sessionDuration, 'PT4H');
    const bob = second.plan.users.filter((u) => u.userName === 'bob');
    assert.equal(bob[0].upn, 'robert@example.com');
    assert.equal(bob[0].upnSource, 'plan-file');
    assert.ok(bob[0].permissionSets.includes('AppTeam'));
    assert.equal(second.plan.users.find((u) => u.userName === 'breakglass')!.action, 'decommission');
    assert.match(second.plan.serviceAccounts[0].trustPolicy!, /refs\/heads\/main/);
    assert.ok(second.keptEdits.some((k) => k.includes('name AppTeam')));
    const rendered = renderPlanYaml(second.plan, edited);
    assert.match(rendered, /name: AppTeam # renamed for the app team/);
    const diff = diffPlans(first.plan, second.plan);
    assert.ok(diff.permissionSets.update.includes('AppTeam'));
    assert.equal(diff.permissionSets.create.length, 0);
  });

  test('an acknowledged gap unblocks the user; an unacknowledged one blocks only that user', async () => {
    const built = estate().build();
    const first = await planOf(built, { compiler });
    const text = renderPlanYaml(first.plan);
    // A reviewer narrows the Developers permission set: the EC2 statement is dropped.
    const narrowed = text.replace(
      /(\s+)\{\n\s+"Effect": "Allow",\n\s+"Action": \[\n\s+"ec2:Describe\*",[\s\S]*?"Resource": "\*"\n\s+\}/,
      '',
    );
    const prev = parsePlanText(narrowed.replace(/,(\s*\]\s*\}\s*\n\s+permissionsBoundary)/, '$1'), 'p.yaml', {
      quota: 10,
      strict: false,
    });
    assert.deepEqual(prev.problems, []);
    const second = await planOf(built, { compiler, previous: prev.plan });
    const bob = second.plan.users.find((u) => u.userName === 'bob')!;
    assert.ok(bob.parity.gaps.includes('ec2:StartInstances'), bob.parity.gaps.slice(0, 5).join(','));
    assert.match(bob.blockedBy.join(';'), /parity: \d+ unacknowledged gaps/);
    assert.deepEqual(second.plan.users.find((u) => u.userName === 'alice')!.blockedBy, []);
    const ack = renderPlanYaml(second.plan).replace(
      /(userName: bob\n(?:.*\n)*?\s+acknowledged:) \[\]/,
      '$1\n        - "ec2:*"',
    );
    const third = await planOf(built, {
      compiler,
      previous: parsePlanText(ack, 'p.yaml', { quota: 10, strict: false }).plan,
    });
    const bob3 = third.plan.users.find((u) => u.userName === 'bob')!;
    assert.deepEqual(bob3.parity.acknowledged, ['ec2:*']);
    assert.deepEqual(bob3.blockedBy, []);
  });

  test('invalid edits are reported together, each with its line', () => {
    const b = new SnapshotBuilder();
    b.account('111111111111', 'prod').user('alice', {
      managed: ['ReadOnlyAccess'],
      tags: { email: 'alice@example.com' },
    });
    return planOf(b.build(), { compiler }).then(({ plan }) => {
      const text = renderPlanYaml(plan)
        .replace('sessionDuration: PT12H', 'sessionDuration: 12 hours')
        .replace('upn: alice@example.com', 'upn: alice')
        .replace(
          /managedPolicies:\n\s+- arn:aws:iam::aws:policy\/ReadOnlyAccess/,
          'managedPolicies:\n      - not-an-arn',
        )
        .replace('action: migrate', 'action: maybe');
      const read = parsePlanText(text, 'migration-plan.yaml', { quota: 10, strict: true });
      assert.equal(read.problems.length, 4, JSON.stringify(read.problems));
      const lines = text.split('\n');
      for (const p of read.problems) {
        assert.equal(p.file, 'migration-plan.yaml');
        assert.ok(p.line && p.line > 0);
        const source = lines[p.line! - 1];
        assert.ok(/12 hours|upn: alice|not-an-arn|maybe/.test(source), `${p.message} points at "${source}"`);
      }
      const version = parsePlanText(renderPlanYaml(plan).replace('formatVersion: 1', 'formatVersion: 9'), 'f.yaml', {
        quota: 10,
        strict: true,
      });
      assert.match(version.problems[0].message, /unknown formatVersion 9/);
      const syntax = parsePlanText('permissionSets: [\n  - a: b\n', 'f.yaml', { quota: 10, strict: true });
      assert.ok(syntax.problems[0].line);
    });
  });

  test('the fingerprint changes only for accounts whose plan-relevant state changed', async () => {
    const built = estate().build();
    const before = fingerprintSnapshot(built.snapshot);
    built.snapshot.accounts[1].users[0].attachedPolicies.push({
      arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      name: 'ReadOnlyAccess',
    });
    const after = fingerprintSnapshot(built.snapshot);
    assert.equal(before.runId, built.snapshot.runId);
    assert.deepEqual(staleAccounts(before, after), [built.snapshot.accounts[1].accountId]);
    assert.deepEqual(staleAccounts(before, before), []);
  });

  test('the plan: section of iam2sso.yaml sets durations, templates, identity and quota; bad values are reported with lines', () => {
    const good = parseConfig(
      [
        'plan:',
        '  sessionDurations: { admin: PT2H, readOnly: PT10H }',
        '  groupNameTemplate: "AZ-{account}-{permissionSet}"',
        '  identity: { tagKeys: [mail, email], template: "{user}@corp.example.com", directoryLookup: true }',
        '  managedPoliciesQuota: 20',
        '  customerManagedPolicies: reference',
      ].join('\n'),
      'iam2sso.yaml',
    );
    assert.deepEqual(good.problems, []);
    assert.deepEqual(good.config.plan.sessionDurations, { admin: 'PT2H', powerUser: 'PT8H', readOnly: 'PT10H' });
    assert.equal(good.config.plan.groupNameTemplate, 'AZ-{account}-{permissionSet}');
    assert.deepEqual(good.config.plan.identity.tagKeys, ['mail', 'email']);
    assert.equal(good.config.plan.identity.template, '{user}@corp.example.com');
    assert.equal(good.config.plan.managedPoliciesQuota, 20);
    assert.equal(good.config.plan.customerManagedPolicies, 'reference');
    const bad = parseConfig(
      'plan:\n  sessionDurations: { admin: PT13H }\n  managedPoliciesQuota: 26\n  groupNameTemplate: AWS-{account}\n',
      'iam2sso.yaml',
    );
    assert.deepEqual(bad.problems.map((p) => p.line).sort(), [2, 3, 4]);
  });
});
