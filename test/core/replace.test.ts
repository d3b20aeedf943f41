import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlannedServiceAccount } from '../../src/core/plan-types.js';
import { changeId, createdObject, undoOf } from '../../src/core/reconcile/changes.js';
import { dependenciesOf, orderChanges } from '../../src/core/reconcile/order.js';
import { narrowToServices, plannedRepository, planReplacement, replacementRoleName } from '../../src/core/replace.js';
import { planRolesAnywhere, rolesAnywhereName } from '../../src/core/replace-rolesanywhere.js';
import { pipelineSteps } from '../../src/core/replace-steps.js';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject', 'ec2:DescribeInstances', 'dynamodb:Query'], Resource: '*' },
    { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::logs/*' },
    { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
  ],
});

function account(over: Partial<PlannedServiceAccount>): PlannedServiceAccount {
  return {
    accountId: '111111111111',
    userName: 'ci',
    recommendation: 'github-actions-oidc',
    reason: 'r',
    trustPolicy: null,
    policy: POLICY,
    ...over,
  };
}

const REQ = {
  partition: 'aws',
  region: 'eu-west-1',
  repository: null,
  branch: 'main',
  usedServices: [],
  providerExists: false,
  roleExists: false,
};

describe('replace planning', () => {
  it('narrows the policy to the services the keys were seen using, keeping denies', () => {
    const narrowed = JSON.parse(narrowToServices(POLICY, ['s3']));
    assert.deepEqual(narrowed.Statement, [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::logs/*' },
      { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
    ]);
    assert.equal(narrowToServices(POLICY, []), POLICY);
  });

  it('makes the GitHub OIDC provider once and a role trusting one repository and branch', () => {
    const r = planReplacement({ ...REQ, account: account({}), repository: 'acme/app', branch: 'release' });
    assert.deepEqual(
      r.changes.map((c) => c.kind),
      ['iam.oidc-provider.create', 'iam.role.create', 'iam.role.put-policy'],
    );
    const trust = JSON.parse((r.changes[1] as { trustPolicy: string }).trustPolicy);
    assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/release',
    });
    const again = planReplacement({ ...REQ, account: account({}), repository: 'acme/app', providerExists: true });
    assert.equal(again.changes[0].kind, 'iam.role.create');
    assert.deepEqual(
      r.changes.map((c) => undoOf(c)?.kind),
      ['iam.oidc-provider.delete', 'iam.role.delete', 'iam.role.delete-policy'],
    );
  });

  it('refuses a GitHub replacement whose repository is not known', () => {
    const r = planReplacement({ ...REQ, account: account({ trustPolicy: '{"x":"repo:OWNER/REPOSITORY:*"}' }) });
    assert.equal(plannedRepository('{"x":"repo:OWNER/REPOSITORY:*"}'), null);
    assert.match(r.problems[0], /--repo OWNER\/REPO/);
    assert.deepEqual(r.changes, []);
  });

  it('makes nothing for a user kept with rotation and prints the rotation steps', () => {
    const kept = account({ recommendation: 'keep-with-rotation' });
    assert.deepEqual(planReplacement({ ...REQ, account: kept }).changes, []);
    const steps = pipelineSteps({
      account: kept,
      roleArn: null,
      region: 'eu-west-1',
      repository: null,
      branch: 'main',
    });
    assert.ok(steps.some((l) => l.includes('aws iam update-access-key --user-name ci')));
  });

  it('gives a compute role the plan trust and prints the platform step (ECS task role)', () => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const s = account({ recommendation: 'iam-role-on-compute', trustPolicy: trust });
    const r = planReplacement({ ...REQ, account: s });
    assert.equal((r.changes[0] as { trustPolicy: string }).trustPolicy, trust);
    const steps = pipelineSteps({
      account: s,
      roleArn: r.roleArn,
      region: 'eu-west-1',
      repository: null,
      branch: 'main',
    });
    assert.ok(steps.some((l) => l.includes(`"taskRoleArn": "arn:aws:iam::111111111111:role/iam2sso-ci"`)));
  });

  it('refuses a policy over the role inline limit', () => {
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: Array.from({ length: 700 }, (_, i) => `s3:Action${i}`), Resource: '*' }],
    });
    const r = planReplacement({
      ...REQ,
      account: account({ recommendation: 'iam-roles-anywhere', trustPolicy: '{}', policy: big }),
      trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/x',
    });
    assert.match(r.problems[0], /inline limit/);
    assert.equal(replacementRoleName('a'.repeat(70)).length, 64);
  });
});

describe('replace resumes a run that stopped half-way', () => {
  it('puts the policy on a role of its own that lacks it, and changes nothing when it has it', () => {
    const s = account({ recommendation: 'iam-role-on-compute', trustPolicy: '{"Statement":[]}' });
    const inProfile = { roles: ['iam2sso-ci'] };
    const missing = planReplacement({
      ...REQ,
      account: s,
      roleExists: true,
      rolePolicy: null,
      instanceProfile: inProfile,
    });
    assert.deepEqual(
      missing.changes.map((c) => c.kind),
      ['iam.role.put-policy'],
    );
    const same = planReplacement({
      ...REQ,
      account: s,
      roleExists: true,
      rolePolicy: JSON.stringify(JSON.parse(POLICY)),
      instanceProfile: inProfile,
    });
    assert.deepEqual(same.changes, []);
  });

  it('gives an EC2 role its instance profile, putting the role in one that lacks it; undone role first', () => {
    const s = account({ recommendation: 'iam-role-on-compute', trustPolicy: '{"Statement":[]}' });
    const fresh = planReplacement({ ...REQ, account: s });
    assert.deepEqual(
      fresh.changes.map((c) => c.kind),
      ['iam.role.create', 'iam.role.put-policy', 'iam.instance-profile.create', 'iam.instance-profile.add-role'],
    );
    const empty = planReplacement({
      ...REQ,
      account: s,
      roleExists: true,
      rolePolicy: POLICY,
      instanceProfile: { roles: [] },
    });
    assert.deepEqual(
      empty.changes.map((c) => c.kind),
      ['iam.instance-profile.add-role'],
    );
    // A rollback takes the role out of the profile before either is deleted (IAM refuses both deletes otherwise).
    const undone = orderChanges(fresh.changes.map((c) => undoOf(c)!).reverse()).map((c) => c.kind);
    assert.deepEqual(undone.slice(0, 2), ['iam.instance-profile.remove-role', 'iam.role.delete-policy']);
    assert.deepEqual(undone.slice(2).sort(), ['iam.instance-profile.delete', 'iam.role.delete']);
    const ecs = account({
      recommendation: 'iam-role-on-compute',
      trustPolicy: '{"Principal":{"Service":"ecs-tasks.amazonaws.com"}}',
    });
    assert.ok(
      !planReplacement({ ...REQ, account: ecs }).changes.some((c) => c.kind.startsWith('iam.instance-profile')),
    );
  });

  it('gives a Roles Anywhere role a trust limited to its trust anchor, the profile after the role, undone profile first', () => {
    const s = account({ userName: 'edge.agent@x', recommendation: 'iam-roles-anywhere', trustPolicy: '{}' });
    assert.deepEqual(planReplacement({ ...REQ, account: s }).problems, [
      'the trust anchor the role trusts is not known',
    ]);
    const anchorArn = 'arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/0f0f';
    const role = planReplacement({ ...REQ, account: s, trustAnchorArn: anchorArn });
    const trust = JSON.parse((role.changes[0] as { trustPolicy: string }).trustPolicy);
    assert.deepEqual(trust.Statement[0].Condition, { ArnEquals: { 'aws:SourceArn': anchorArn } });
    assert.equal(trust.Statement[0].Principal.Service, 'rolesanywhere.amazonaws.com');
    const facts = {
      accountId: '111111111111',
      region: 'eu-west-1',
      userName: s.userName,
      roleArn: role.roleArn ?? '',
      trustAnchorArn: null,
      profile: null,
      certificateBundle: null,
    };
    assert.match(planRolesAnywhere(facts).problems[0], /--ca-bundle FILE/);
    const ra = planRolesAnywhere({ ...facts, certificateBundle: 'PEM' });
    assert.equal(rolesAnywhereName(s.userName), 'iam2sso-edge-agent-x');
    assert.deepEqual(
      orderChanges([...role.changes, ...ra.changes]).map((c) => c.kind),
      ['rolesanywhere.trust-anchor.create', 'iam.role.create', 'iam.role.put-policy', 'rolesanywhere.profile.create'],
    );
    // A profile whose role could not be made is not made either.
    const all = [...role.changes, ...ra.changes];
    const profile = all.find((c) => c.kind === 'rolesanywhere.profile.create')!;
    assert.ok(dependenciesOf(all).get(changeId(profile))?.includes(changeId(role.changes[0])));
    assert.deepEqual(createdObject(profile), {
      kind: 'rolesanywhere-profile',
      key: '111111111111/eu-west-1/iam2sso-edge-agent-x',
    });
    const undone = orderChanges(all.map((c) => undoOf(c)!)).map((c) => c.kind);
    assert.deepEqual(undone.slice(0, 2).sort(), ['iam.role.delete-policy', 'rolesanywhere.profile.delete']);
    assert.deepEqual(undone.slice(2), ['iam.role.delete', 'rolesanywhere.trust-anchor.delete']);
    // Made already: nothing more, unless the profile names another role.
    const made = { ...facts, trustAnchorArn: anchorArn, profile: { arn: 'p', roleArns: [role.roleArn ?? ''] } };
    assert.deepEqual(planRolesAnywhere(made), { changes: [], problems: [] });
    assert.equal(planRolesAnywhere({ ...made, profile: { arn: 'p', roleArns: ['other'] } }).problems.length, 1);
  });
});
