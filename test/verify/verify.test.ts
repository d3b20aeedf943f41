import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AccountSnapshot, AuditSnapshot, UserRecord } from '../../src/core/model.js';
import type { MigrationPlan, PlannedPermissionSet, PlannedUser } from '../../src/core/plan-types.js';
import { buildActionCatalog } from '../../src/core/policy/catalog.js';
import { createPolicyCompiler } from '../../src/core/policy/compile.js';
import { createExpander } from '../../src/core/policy/expand.js';
import { type AssignmentFacts, assignmentsByPerson } from '../../src/verify/assignments.js';
import { parityDifferences } from '../../src/verify/live-parity.js';
import { type LiveRole, permissionSetOfRole } from '../../src/verify/reserved-roles.js';
import { isoDurationSeconds, roleDifferences } from '../../src/verify/role-check.js';
import { verifyPlan } from '../../src/verify/verify-plan.js';

const ACCOUNT = '222222222222';
const EC2_READ = `arn:aws:iam::${ACCOUNT}:policy/team/Ec2Read`;
const S3_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
});
const EC2_DOC = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
});

const catalog = buildActionCatalog(
  [
    { prefix: 's3', actions: ['GetObject', 'PutObject', 'ListBucket'].map((name) => ({ name, accessLevel: 'Write' })) },
    { prefix: 'ec2', actions: ['DescribeInstances', 'StartInstances'].map((name) => ({ name, accessLevel: 'Write' })) },
  ],
  'test',
);
const compiler = () => createPolicyCompiler(createExpander(catalog));

function permissionSet(over: Partial<PlannedPermissionSet> = {}): PlannedPermissionSet {
  return {
    key: 'k1',
    name: 'S3Access',
    sessionDuration: 'PT4H',
    kind: 'power-user',
    managedPolicies: [],
    customerManagedPolicies: [],
    inlinePolicy: S3_ALL,
    permissionsBoundary: null,
    reason: 'test',
    ...over,
  };
}

function role(over: Partial<LiveRole> = {}): LiveRole {
  return {
    accountId: ACCOUNT,
    roleName: 'AWSReservedSSO_S3Access_0123456789abcdef',
    arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_S3Access_0123456789abcdef`,
    permissionSet: 'S3Access',
    maxSessionDuration: 4 * 3600,
    managed: [],
    inline: [{ name: 'AwsSSOInlinePolicy', document: S3_ALL }],
    boundary: null,
    ...over,
  };
}

describe('reading Identity Center roles', () => {
  test('takes the permission set name from the role name', () => {
    assert.equal(permissionSetOfRole('AWSReservedSSO_Power_User-1_0123456789abcdef'), 'Power_User-1');
    assert.equal(permissionSetOfRole('OrganizationAccountAccessRole'), null);
    assert.equal(permissionSetOfRole('AWSReservedSSO_Admin_short'), null);
  });

  test('reads ISO-8601 session durations', () => {
    assert.equal(isoDurationSeconds('PT1H30M'), 5400);
    assert.equal(isoDurationSeconds('PT12H'), 43200);
    assert.ok(Number.isNaN(isoDurationSeconds('P1D')));
  });
});

describe('a live role against its permission set', () => {
  test('is exact when policies, inline content (however written), boundary and session match', () => {
    const pretty = JSON.stringify(JSON.parse(S3_ALL), null, 2);
    const ps = permissionSet({
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      customerManagedPolicies: [{ name: 'Ec2Read', path: '/team/' }],
    });
    const live = role({
      managed: [
        { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', document: '{}' },
        { arn: EC2_READ, document: EC2_DOC },
      ],
      inline: [{ name: 'AwsSSOInlinePolicy', document: pretty }],
    });
    assert.deepEqual(roleDifferences(live, ps), []);
  });

  test('names each difference', () => {
    const ps = permissionSet({
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      permissionsBoundary: { customerManagedPolicy: { name: 'Ec2Read', path: '/team/' } },
    });
    const live = role({
      managed: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', document: '{}' }],
      inline: [{ name: 'AwsSSOInlinePolicy', document: EC2_DOC }],
      maxSessionDuration: 3600,
    });
    const problems = roleDifferences(live, ps).join('\n');
    assert.match(problems, /missing from the role: arn:aws:iam::aws:policy\/ReadOnlyAccess/);
    assert.match(problems, /does not have: arn:aws:iam::aws:policy\/AdministratorAccess/);
    assert.match(problems, /inline policy differs/);
    assert.match(problems, new RegExp(`boundary is none, the permission set has ${EC2_READ}`));
    assert.match(problems, /maximum session is 3600 s, the permission set says PT4H/);
  });
});

describe('who gets which permission set where', () => {
  test('joins group assignments with memberships, and direct user assignments', () => {
    const facts: AssignmentFacts = {
      users: [
        { userId: 'u1', userName: 'Ann@Example.com' },
        { userId: 'u2', userName: 'bob@example.com' },
        { userId: 'u3', userName: 'cy@example.com' },
      ],
      groups: [{ groupId: 'g1', displayName: 'AWS-prod-S3' }],
      memberships: new Map([['g1', ['u1', 'u2']]]),
      permissionSets: new Map([
        ['arn:ps/1', 'S3Access'],
        ['arn:ps/2', 'Admin'],
      ]),
      assignments: [
        { accountId: ACCOUNT, permissionSetArn: 'arn:ps/1', principalType: 'GROUP', principalId: 'g1' },
        { accountId: '111111111111', permissionSetArn: 'arn:ps/2', principalType: 'USER', principalId: 'u2' },
      ],
    };
    const people = assignmentsByPerson(facts);
    assert.deepEqual(people.get('ann@example.com'), [
      { accountId: ACCOUNT, permissionSet: 'S3Access', via: 'AWS-prod-S3' },
    ]);
    assert.deepEqual(people.get('bob@example.com'), [
      { accountId: '111111111111', permissionSet: 'Admin', via: 'user' },
      { accountId: ACCOUNT, permissionSet: 'S3Access', via: 'AWS-prod-S3' },
    ]);
    assert.deepEqual(people.get('cy@example.com'), []);
    assert.equal(people.get('nobody@example.com'), undefined);
  });
});

describe('live parity against the plan’s', () => {
  test('agrees when entries and the count past the list agree, in any order', () => {
    const p = { gaps: ['s3:GetObject'], excess: ['ec2:A', 'ec2:B', '… and 3 more'], needsReview: [] };
    assert.deepEqual(parityDifferences(p, { ...p, excess: ['ec2:B', 'ec2:A', '… and 3 more'] }), []);
  });

  test('reports gaps, listed excess and truncated counts that differ', () => {
    const p = { gaps: ['s3:GetObject'], excess: ['ec2:A', '… and 3 more'], needsReview: [] };
    const d = parityDifferences(p, { gaps: [], excess: ['ec2:A', 'ec2:C', '… and 4 more'], needsReview: ['x'] });
    assert.deepEqual(d, [
      'gaps: the plan has s3:GetObject, live does not',
      'excess: live has ec2:C, the plan does not',
      'excess: the plan counts 3 more beyond its list, the live roles 4',
      'needs review: live has x, the plan does not',
    ]);
  });
});

describe('verifying a plan against live facts', () => {
  const user: UserRecord = {
    accountId: ACCOUNT,
    userName: 'ann',
    userId: 'AIDAANN',
    arn: `arn:aws:iam::${ACCOUNT}:user/ann`,
    path: '/',
    createdAt: '2024-01-01T00:00:00Z',
    tags: {},
    consoleEnabled: true,
    passwordLastUsed: null,
    mfaDevices: [],
    accessKeys: [],
    attachedPolicies: [],
    inlinePolicies: [{ name: 's3', document: S3_ALL }],
    groups: [],
    permissionsBoundary: null,
    sshPublicKeys: [],
    signingCertificates: [],
    serviceSpecificCredentials: [],
  };
  const account: AccountSnapshot = {
    accountId: ACCOUNT,
    name: 'prod',
    alias: null,
    status: 'ok',
    users: [user],
    groups: [],
    policies: [],
    roles: [],
    samlProviders: [],
    root: null,
  };
  const snapshot: AuditSnapshot = {
    runId: 'r1',
    takenAt: '2024-06-01T00:00:00Z',
    managementAccountId: null,
    accounts: [account],
  };
  const planned: PlannedUser = {
    accountId: ACCOUNT,
    userName: 'ann',
    category: 'human-console',
    upn: 'ann@example.com',
    upnSource: 'tag',
    action: 'migrate',
    permissionSets: ['S3Access'],
    groups: ['AWS-prod-S3'],
    parity: { gaps: [], excess: [], needsReview: [], acknowledged: [] },
    blockedBy: [],
    notes: [],
  };
  const plan = (ps: PlannedPermissionSet, u: PlannedUser = planned): MigrationPlan => ({
    formatVersion: 1,
    createdAt: '2024-06-02T00:00:00Z',
    fingerprint: { runId: 'r1', takenAt: snapshot.takenAt, accounts: [] },
    permissionSets: [ps],
    groups: [
      {
        key: 'g',
        name: 'AWS-prod-S3',
        description: '',
        members: ['ann@example.com'],
        assignments: [{ accountId: ACCOUNT, permissionSet: 'S3Access' }],
      },
    ],
    users: [u],
    serviceAccounts: [],
    problems: [],
  });
  const facts: AssignmentFacts = {
    users: [{ userId: 'u1', userName: 'ann@example.com' }],
    groups: [{ groupId: 'g1', displayName: 'AWS-prod-S3' }],
    memberships: new Map([['g1', ['u1']]]),
    permissionSets: new Map([['arn:ps/1', 'S3Access']]),
    assignments: [{ accountId: ACCOUNT, permissionSetArn: 'arn:ps/1', principalType: 'GROUP', principalId: 'g1' }],
  };
  const run = (p: MigrationPlan, live: LiveRole[], f = facts) =>
    verifyPlan({
      plan: p,
      snapshot,
      facts: f,
      roles: new Map([[ACCOUNT, live]]),
      compiler: compiler(),
      lookup: () => null,
    });

  test('finds nothing wrong when the live role is the permission set and parity is as planned', () => {
    const report = run(plan(permissionSet()), [role()]);
    assert.deepEqual(
      report.roles.map((r) => r.problems),
      [[]],
    );
    assert.deepEqual(report.users[0].problems, []);
    assert.deepEqual(report.users[0].parity, { gaps: [], excess: [], needsReview: [] });
  });

  test('computes the excess of an extra live policy from its document and reports it against the plan', () => {
    const live = role({ managed: [{ arn: EC2_READ, document: EC2_DOC }] });
    const report = run(plan(permissionSet()), [live]);
    assert.deepEqual(report.users[0].parity?.excess, ['ec2:DescribeInstances']);
    assert.match(report.users[0].problems.join('\n'), /excess: live has ec2:DescribeInstances, the plan does not/);
    assert.match(report.roles[0].problems.join('\n'), /does not have: .*Ec2Read/);
  });

  test('reports access lost that nobody acknowledged, and accepts acknowledged gaps the plan listed', () => {
    const narrow = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    });
    const lost = run(plan(permissionSet()), [role({ inline: [{ name: 'AwsSSOInlinePolicy', document: narrow }] })]);
    assert.match(
      lost.users[0].problems.join('\n'),
      /access lost that no reviewer acknowledged: s3:ListBucket, s3:PutObject/,
    );
    const acknowledged = {
      ...planned,
      parity: { ...planned.parity, gaps: ['s3:ListBucket', 's3:PutObject'], acknowledged: ['s3:*'] },
    };
    const ok = run(plan(permissionSet({ inlinePolicy: narrow }), acknowledged), [
      role({ inline: [{ name: 'AwsSSOInlinePolicy', document: narrow }] }),
    ]);
    assert.deepEqual(ok.users[0].problems, []);
  });

  test('does not check a person apply leaves out for an unacknowledged parity gap (none is expected to have access)', () => {
    const gap = { ...planned, parity: { ...planned.parity, gaps: ['s3:PutObject'], acknowledged: [] } };
    const report = run(plan(permissionSet(), gap), [role()], { ...facts, users: [] });
    assert.deepEqual(report.users, []);
  });

  test('reports a person missing from the Identity Store, and a planned role that is not there', () => {
    const report = run(plan(permissionSet()), [], { ...facts, users: [] });
    assert.match(report.users[0].problems.join('\n'), /not in the Identity Store/);
    assert.match(report.users[0].problems.join('\n'), /not assigned in 222222222222: S3Access/);
    assert.deepEqual(report.roles[0].problems, [`no role for S3Access in ${ACCOUNT}`]);
  });
});
