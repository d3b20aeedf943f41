import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditSnapshot } from '../../src/core/model.js';
import { type StandaloneOption, standaloneOptions, withStandaloneAccount } from '../../src/core/plan-standalone.js';
import type { MigrationPlan, PlannedPermissionSet, PlannedUser } from '../../src/core/plan-types.js';
import { standaloneChecks } from '../../src/doctor/standalone.js';
import { parsePlanText } from '../../src/plan-file/read.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';

const ID = '123456789012';

const snapshot: AuditSnapshot = {
  runId: 'r1',
  takenAt: '2026-12-06T00:00:00Z',
  managementAccountId: null,
  accounts: [],
};
const parity = { gaps: [], excess: [], needsReview: [], acknowledged: [] };
const user = (userName: string, set: string, group: string): PlannedUser => ({
  accountId: ID,
  userName,
  category: 'human-console',
  upn: `${userName}@example.com`,
  upnSource: 'template',
  action: 'migrate',
  permissionSets: [set],
  groups: [group],
  parity,
  blockedBy: [],
  notes: [],
});
const set = (name: string): PlannedPermissionSet => ({
  key: name,
  name,
  sessionDuration: 'PT1H',
  kind: 'admin',
  managedPolicies: [`arn:aws:iam::aws:policy/${name}`],
  customerManagedPolicies: [],
  inlinePolicy: null,
  permissionsBoundary: null,
  reason: 'test',
});
/** What plan makes of a one-account estate before it knows the account is standalone. */
const generated: MigrationPlan = {
  formatVersion: 1,
  createdAt: '2026-12-06T00:00:00.000Z',
  fingerprint: { runId: 'r1', takenAt: '2026-12-06T00:00:00Z', accounts: [{ accountId: ID, hash: 'h' }] },
  permissionSets: [set('AdministratorAccess'), set('PowerUserAccess')],
  groups: [
    {
      key: 'a',
      name: 'AWS-solo-AdministratorAccess',
      description: '',
      members: ['alice@example.com'],
      assignments: [{ accountId: ID, permissionSet: 'AdministratorAccess' }],
    },
    {
      key: 'p',
      name: 'AWS-solo-PowerUserAccess',
      description: '',
      members: ['bob@example.com'],
      assignments: [{ accountId: ID, permissionSet: 'PowerUserAccess' }],
    },
  ],
  users: [
    user('alice', 'AdministratorAccess', 'AWS-solo-AdministratorAccess'),
    user('bob', 'PowerUserAccess', 'AWS-solo-PowerUserAccess'),
  ],
  serviceAccounts: [],
  problems: [],
};
const built = { snapshot: { ...snapshot, accounts: [{ accountId: ID } as AuditSnapshot['accounts'][number]] } };

describe('the plan of a standalone account', () => {
  it('states the decision, outside Identity Center: direct SAML federation, with the reason and the AWS documentation', () => {
    const plan = withStandaloneAccount(generated, { ...built.snapshot, standalone: true });
    const decision = plan.problems[0];
    assert.equal(decision.id, 'iic.standalone');
    assert.equal(decision.accountId, ID);
    assert.match(
      decision.message,
      /^123456789012 is in no organization: outside Identity Center: direct SAML federation\./,
    );
    assert.match(decision.message, /applications only, not to AWS accounts/);
    assert.match(
      decision.message,
      /docs\.aws\.amazon\.com\/singlesignon\/latest\/userguide\/identity-center-instances\.html/,
    );
    assert.match(decision.message, /iam2sso plan --outside-identity-center 123456789012/);
  });

  it('makes no Identity Center permission set or assignment, and people keep their Entra groups', () => {
    const plan = withStandaloneAccount(generated, { ...built.snapshot, standalone: true });
    assert.deepEqual(plan.permissionSets, []);
    assert.deepEqual(
      plan.groups.flatMap((g) => g.assignments),
      [],
    );
    assert.deepEqual(
      plan.users.map((u) => [u.userName, u.permissionSets, u.groups]),
      generated.users.map((u) => [u.userName, [], u.groups]),
    );
  });

  it('writes a plan file that passes the checks apply makes', () => {
    const plan = withStandaloneAccount(generated, { ...built.snapshot, standalone: true });
    const read = parsePlanText(renderPlanYaml(plan), 'migration-plan.yaml', { quota: 10, strict: true });
    assert.deepEqual(read.problems, []);
  });

  it('leaves the plan of an account in an organization as it is', () => {
    assert.equal(withStandaloneAccount(generated, built.snapshot), generated);
    assert.ok(generated.groups.every((g) => g.assignments.length > 0));
  });
});

describe('doctor on a standalone account', () => {
  const byTarget = (options: StandaloneOption[], t: StandaloneOption['target']) => options.find((o) => o.target === t)!;

  it('says only direct SAML federation gives access to the account, and why the two instances do not', () => {
    const options = standaloneOptions(ID, null, []);
    assert.deepEqual(
      options.map((o) => [o.target, o.possible]),
      [
        ['account-instance', false],
        ['organization-instance', false],
        ['direct-saml', true],
      ],
    );
    assert.match(byTarget(options, 'account-instance').why, /applications .*no permission sets, account assignments/);
    assert.match(byTarget(options, 'organization-instance').why, /123456789012 is in no organization/);
  });

  it('names the account instance ListInstances shows, and the federation the audit found', () => {
    const arn = 'arn:aws:sso:::instance/ssoins-1111222233334444';
    const options = standaloneOptions(ID, arn, ['EntraID']);
    assert.match(
      byTarget(options, 'account-instance').why,
      /this account has one \(arn:aws:sso:::instance\/ssoins-1111222233334444\): keep it for applications/,
    );
    assert.match(byTarget(options, 'direct-saml').why, /^in place: SAML provider EntraID in 123456789012/);
  });

  it('gives the exact steps: direct SAML a warning until it is in place, then ok', () => {
    const missing = standaloneChecks(standaloneOptions(ID, null, []), false);
    assert.deepEqual(
      missing.map((c) => [c.id, c.status]),
      [
        ['standalone.account-instance', 'warning'],
        ['standalone.organization-instance', 'warning'],
        ['standalone.direct-saml', 'warning'],
      ],
    );
    const saml = missing.find((c) => c.id === 'standalone.direct-saml')!;
    assert.match(
      saml.fix ?? '',
      /^1\. iam2sso plan --outside-identity-center 123456789012 .*; 2\. review the plan file, then iam2sso apply; 3\. or by hand: /,
    );
    const org = missing.find((c) => c.id === 'standalone.organization-instance')!;
    assert.match(
      org.fix ?? '',
      /1\. AWS Organizations console > Create an organization .*2\. IAM Identity Center console > Enable/,
    );
    const inPlace = standaloneChecks(standaloneOptions(ID, null, ['EntraID']), true);
    assert.equal(inPlace.find((c) => c.id === 'standalone.direct-saml')?.status, 'ok');
  });
});
