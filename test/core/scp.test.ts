import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { undoOf } from '../../src/core/reconcile/changes.js';
import { dependenciesOf, orderChanges } from '../../src/core/reconcile/order.js';
import { buildScpDocument, checkScpQuotas, DENIED_ACTIONS, SCP_NAME } from '../../src/core/scp/document.js';
import { type LiveScp, planScp } from '../../src/core/scp/plan.js';

const input = {
  partition: 'aws-us-gov',
  breakGlass: [{ accountId: '111111111111', userName: 'breakglass-admin' }],
  except: ['arn:aws-us-gov:iam::222222222222:role/pipeline'],
};

describe('the SCP that stops new IAM users', () => {
  it('denies user, password, key and user-policy creation to all but the excepted principals, in the caller partition', () => {
    const text = buildScpDocument(input);
    assert.equal(text, JSON.stringify(JSON.parse(text)), 'minified');
    const s = JSON.parse(text).Statement[0];
    assert.equal(s.Effect, 'Deny');
    assert.deepEqual(s.Action, [...DENIED_ACTIONS]);
    assert.deepEqual(s.Condition.ArnNotLike['aws:PrincipalArn'], [
      'arn:aws-us-gov:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_*',
      'arn:aws-us-gov:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*',
      'arn:aws-us-gov:iam::111111111111:user/breakglass-admin',
      'arn:aws-us-gov:iam::111111111111:user/*/breakglass-admin',
      'arn:aws-us-gov:iam::222222222222:role/pipeline',
    ]);
  });

  it('counts every character against 5,120 and refuses a sixth SCP on a target', () => {
    assert.deepEqual(checkScpQuotas('x'.repeat(5120), { id: 'r-abcd', attached: 4, oursAttached: false }), []);
    assert.deepEqual(
      checkScpQuotas('x'.repeat(5121), { id: 'r-abcd', attached: 5, oursAttached: false }).map((p) => p.id),
      ['scp.too-large', 'scp.target-full'],
    );
    assert.deepEqual(checkScpQuotas('{}', { id: 'r-abcd', attached: 5, oursAttached: true }), [], 'already ours there');
  });

  it('creates and attaches when missing, updates a changed document, and does nothing when in place', () => {
    const content = buildScpDocument(input);
    const target = { id: 'r-abcd', attached: ['p-FullAWSAccess'] };
    assert.deepEqual(
      planScp(content, null, target).changes.map((c) => c.kind),
      ['scp.create', 'scp.attach'],
    );
    const live: LiveScp = { id: 'p-12345678', content: '{"old":1}', description: '', targets: ['r-abcd'], owned: true };
    const attached = { id: 'r-abcd', attached: ['p-FullAWSAccess', 'p-12345678'] };
    assert.deepEqual(
      planScp(content, live, attached).changes.map((c) => c.kind),
      ['scp.update'],
    );
    assert.deepEqual(planScp(content, { ...live, content }, attached).changes, []);
  });

  it('refuses to touch an SCP of its name that iam2sso did not create', () => {
    const live: LiveScp = { id: 'p-12345678', content: '{}', description: '', targets: [], owned: false };
    const planned = planScp('{}', live, { id: 'r-abcd', attached: [] });
    assert.deepEqual(planned.changes, []);
    assert.match(planned.refusal ?? '', /not created by iam2sso/);
  });

  it('undoes an apply by detaching, then deleting, the delete waiting for the detach', () => {
    const content = buildScpDocument(input);
    const applied = planScp(content, null, { id: 'r-abcd', attached: [] }).changes;
    const undos = orderChanges(applied.map((c) => undoOf(c)!));
    assert.deepEqual(
      undos.map((c) => c.kind),
      ['scp.detach', 'scp.delete'],
    );
    const deps = dependenciesOf(undos);
    assert.deepEqual(deps.get(`scp.delete:${SCP_NAME}`), [`scp.detach:${SCP_NAME}:r-abcd`]);
  });
});
