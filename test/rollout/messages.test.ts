import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MigrationPlan, PlannedUser } from '../../src/core/plan-types.js';
import { type RolloutSettings, rolloutMessages } from '../../src/rollout/messages.js';
import { renderMessage } from '../../src/rollout/render.js';

const user = (over: Partial<PlannedUser>): PlannedUser => ({
  accountId: '111111111111',
  userName: 'ana',
  category: 'human-console',
  upn: 'ana.berg@example.com',
  upnSource: 'directory',
  action: 'migrate',
  permissionSets: [],
  groups: [],
  parity: { gaps: [], excess: [], needsReview: [], acknowledged: [] },
  blockedBy: [],
  notes: [],
  ...over,
});

const plan = {
  formatVersion: 1,
  createdAt: '2026-06-01T00:00:00Z',
  fingerprint: { runId: 'r', takenAt: '2026-06-01T00:00:00Z', accounts: [] },
  permissionSets: [],
  groups: [
    {
      key: 'g1',
      name: 'AWS-dev-Developers',
      description: '',
      members: ['ana.berg@example.com'],
      assignments: [{ accountId: '222222222222', permissionSet: 'Developers' }],
    },
    {
      key: 'g2',
      name: 'AWS-prod-ReadOnly',
      description: '',
      members: ['ana.berg@example.com', 'tom.okafor@example.com'],
      assignments: [{ accountId: '333333333333', permissionSet: 'ReadOnly' }],
    },
  ],
  users: [user({}), user({ userName: 'tom', upn: 'tom.okafor@example.com', accountId: '333333333333' })],
  serviceAccounts: [
    {
      accountId: '222222222222',
      userName: 'svc-deploy',
      recommendation: 'github-actions-oidc',
      reason: 'used only from GitHub Actions runners',
      trustPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
      policy: null,
    },
  ],
  problems: [],
} as unknown as MigrationPlan;

const settings: RolloutSettings = {
  startUrl: 'https://d-1234567890.awsapps.com/start',
  region: 'eu-west-1',
  cutoverDate: '2026-07-01',
  from: 'platform@example.com',
  accountNames: new Map([['222222222222', 'dev']]),
};

describe('rollout messages', () => {
  const messages = rolloutMessages(plan, settings);

  test('one per person and one per service account', () => {
    assert.deepEqual(
      messages.map((m) => m.id),
      ['ana.berg@example.com', 'tom.okafor@example.com', 'service-222222222222-svc-deploy'],
    );
  });

  test("a person's message names the start URL, their accounts and permission sets, the CLI profiles and their IAM user's cutover", () => {
    const md = renderMessage(messages[0], 'md', settings.from, new Date('2026-06-01T00:00:00Z'));
    assert.match(md, /https:\/\/d-1234567890\.awsapps\.com\/start/);
    assert.match(md, /- dev \(222222222222\): Developers/);
    assert.match(md, /- 333333333333: ReadOnly/);
    assert.match(md, /\[sso-session my-sso\][\s\S]*sso_region = eu-west-1/);
    assert.match(md, /--profile dev-Developers/);
    assert.match(md, /ana in 111111111111: its console password and access keys are deactivated on 2026-07-01/);
    assert.doesNotMatch(md, /Developers[\s\S]*tom/);
  });

  test("a service-account owner's message gives the replacement, the steps and the trust policy", () => {
    const html = renderMessage(messages[2], 'html', settings.from, new Date());
    assert.match(html, /github-actions-oidc/);
    assert.match(html, /id-token: write/);
    assert.match(html, /<h2>Trust policy<\/h2>/);
  });

  test('an e-mail has the headers and both MIME parts, the body readable once decoded', () => {
    const eml = renderMessage(messages[0], 'eml', settings.from, new Date('2026-06-01T00:00:00Z'));
    const [head] = eml.split('\r\n\r\n');
    assert.match(head, /^From: platform@example\.com\r\nTo: ana\.berg@example\.com\r\nSubject: Your AWS access/);
    assert.match(head, /Date: Mon, 01 Jun 2026 00:00:00 \+0000/);
    const parts = eml.split(/--iam2sso-[0-9a-f]+/).filter((p) => p.includes('base64'));
    assert.equal(parts.length, 2);
    const text = Buffer.from(parts[0].split('\r\n\r\n')[1].replace(/\r\n/g, ''), 'base64').toString('utf8');
    assert.match(text, /aws configure sso/);
  });
});
