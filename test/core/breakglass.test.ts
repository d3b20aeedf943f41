import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alarmPattern, alarmRuleName, planBreakGlass, plannedBreakGlassUser } from '../../src/core/breakglass.js';
import { alarmProblems, patternWatchesUser, topicLetsEventsPublish } from '../../src/core/breakglass-check.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { changeId, undoOf } from '../../src/core/reconcile/changes.js';
import { dependenciesOf, orderChanges } from '../../src/core/reconcile/order.js';

const REQ = { accountId: '111111111111', region: 'us-east-1', partition: 'aws', userName: 'bg', topicArn: null };
const NOTHING = {
  user: { exists: false, owned: false },
  rule: { exists: false, owned: false, targets: [] },
  topic: { exists: false, owned: false },
};

describe('break-glass planning', () => {
  it('makes the user, its policy, a password, the topic, the rule and its target when nothing exists', () => {
    const { changes } = planBreakGlass(REQ, NOTHING);
    assert.deepEqual(
      orderChanges(changes).map((c) => c.kind),
      [
        'sns.topic.create',
        'iam.owned-user.create',
        'events.rule.put',
        'iam.owned-login-profile.create',
        'iam.user.attach-policy',
        'events.target.put',
      ],
    );
  });

  it('leaves an existing user it did not make alone and only adds the alarm', () => {
    const { changes, notes } = planBreakGlass(REQ, { ...NOTHING, user: { exists: true, owned: false } });
    assert.ok(changes.every((c) => !c.kind.startsWith('iam.')));
    assert.match(notes[0], /not made by iam2sso/);
  });

  it('alarms to a topic the operator names without making one, and refuses to touch a foreign rule', () => {
    const named = 'arn:aws:sns:us-east-1:111111111111:oncall';
    const { changes } = planBreakGlass(
      { ...REQ, topicArn: named },
      { ...NOTHING, topic: { exists: true, owned: false } },
    );
    assert.equal(
      changes.find((c) => c.kind === 'sns.topic.create'),
      undefined,
    );
    assert.deepEqual((changes.find((c) => c.kind === 'events.target.put') as { arn: string }).arn, named);
    const foreign = planBreakGlass(REQ, {
      ...NOTHING,
      user: { exists: true, owned: true, policyAttached: true, hasPassword: true },
      rule: { exists: true, owned: false, targets: [] },
      topic: { exists: true, owned: true },
    });
    assert.deepEqual(foreign.changes, []);
  });

  it('is a no-op when everything is in place', () => {
    const topic = 'arn:aws:sns:us-east-1:111111111111:iam2sso-break-glass-alarm';
    const live = {
      user: { exists: true, owned: true, policyAttached: true, hasPassword: true },
      rule: { exists: true, owned: true, targets: [topic] },
      topic: { exists: true, owned: true },
    };
    assert.deepEqual(planBreakGlass(REQ, live).changes, []);
  });

  it("takes the plan's kept break-glass user of the account", () => {
    const plan = {
      users: [{ accountId: '111111111111', userName: 'emergency-1', category: 'break-glass', action: 'keep' }],
    } as unknown as MigrationPlan;
    assert.equal(plannedBreakGlassUser(plan, '111111111111'), 'emergency-1');
    assert.equal(plannedBreakGlassUser(plan, '222222222222'), null);
  });

  it('undoes each change and cancels what follows a failed create', () => {
    const { changes } = planBreakGlass(REQ, NOTHING);
    const undone = changes.map((c) => undoOf(c)?.kind);
    assert.deepEqual(undone, [
      'iam.owned-user.delete',
      'iam.user.detach-policy',
      'iam.owned-login-profile.delete',
      'sns.topic.delete',
      'events.rule.delete',
      'events.target.remove',
    ]);
    const deps = dependenciesOf(orderChanges(changes));
    const target = changes.find((c) => c.kind === 'events.target.put')!;
    assert.deepEqual(
      deps.get(changeId(target))?.map((id) => id.split(':')[0]),
      ['events.rule.put', 'sns.topic.create'],
    );
  });
});

describe('break-glass alarm check', () => {
  const rule = {
    arn: 'arn:aws:events:us-east-1:111111111111:rule/r',
    pattern: alarmPattern('111111111111', 'bg'),
    state: 'ENABLED',
    targets: [{ arn: 'arn:t' }],
  };
  const policy = JSON.stringify({
    Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' }],
  });

  it('accepts the pattern it writes and refuses one for another user or for API calls only', () => {
    assert.equal(patternWatchesUser(alarmPattern('1', 'bg'), 'bg'), true);
    assert.equal(patternWatchesUser(alarmPattern('1', 'bg'), 'other'), false);
    assert.equal(
      patternWatchesUser(
        JSON.stringify({
          'detail-type': ['AWS API Call via CloudTrail'],
          detail: { userIdentity: { userName: ['bg'] } },
        }),
        'bg',
      ),
      false,
    );
  });

  it('names every missing piece: rule, target, topic, topic policy', () => {
    assert.deepEqual(alarmProblems({ userName: 'bg', rule, topicArn: 'arn:t', topicPolicy: policy }), []);
    assert.deepEqual(
      alarmProblems({ userName: 'bg', rule: null, topicArn: 'arn:t', topicPolicy: policy }).map((p) => p.id),
      ['alarm.no-rule'],
    );
    assert.deepEqual(
      alarmProblems({
        userName: 'bg',
        rule: { ...rule, targets: [], state: 'DISABLED' },
        topicArn: 'arn:t',
        topicPolicy: null,
      }).map((p) => p.id),
      ['alarm.disabled', 'alarm.no-target', 'alarm.no-topic'],
    );
    assert.equal(
      topicLetsEventsPublish(
        JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish' }] }),
      ),
      false,
    );
  });

  it('keeps rule names within EventBridge limits', () => {
    assert.match(alarmRuleName('a'.repeat(80)), /^[.\-_A-Za-z0-9]{1,64}$/);
    assert.equal(alarmRuleName('bg@corp'), 'iam2sso-break-glass-bg-corp');
  });
});

describe('break-glass resumes a run that stopped half-way', () => {
  it('gives a user of its own the policy and password it lacks', () => {
    const live = { ...NOTHING, user: { exists: true, owned: true, policyAttached: false, hasPassword: false } };
    const kinds = planBreakGlass(REQ, live).changes.map((c) => c.kind);
    assert.deepEqual(
      kinds.filter((k) => k.startsWith('iam.')),
      ['iam.user.attach-policy', 'iam.owned-login-profile.create'],
    );
  });
});
