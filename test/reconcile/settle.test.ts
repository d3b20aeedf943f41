import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CaLive, hardenTookEffect, type PimGroupLive } from '../../src/core/harden-plan.js';
import type { Change } from '../../src/core/reconcile/changes.js';
import { isOrgChange, type OrgChange } from '../../src/core/reconcile/changes-org.js';
import { type LiveScp, scpTookEffect } from '../../src/core/scp/plan.js';
import type { Journal } from '../../src/reconcile/journal.js';
import { describeSettled, settleFromLive } from '../../src/reconcile/settle.js';
import type { JournalEntry } from '../../src/store/journal-repo.js';

/** A journal with these open entries, recording how each was finished. */
function openJournal(changes: Change[]) {
  const finished = new Map<number, string>();
  const journal: Journal = {
    begin: () => 0,
    submitted: () => undefined,
    finish: (id, outcome) => void finished.set(id, outcome.status),
    open: () =>
      changes.map(
        (change, i) => ({ entryId: i + 1, kind: change.kind, planHash: 'x', payload: { change } }) as JournalEntry,
      ),
  };
  return { journal, finished };
}

const POLICY = 'iam2sso-deny-iam-users';
const live = (targets: string[], content = '{"v":1}'): LiveScp => ({
  id: 'p-1',
  content,
  description: '',
  targets,
  owned: true,
});

describe('settling what a killed writer left open, from its live read', () => {
  it('journals an SCP change done when the live policy shows it, and planned again otherwise', () => {
    const create: OrgChange = { kind: 'scp.create', name: POLICY, description: '', content: '{"v":1}' };
    const attach: OrgChange = { kind: 'scp.attach', name: POLICY, targetId: 'r-root' };
    const other: Change = { kind: 'entra.group.create', name: 'AWS-Admins' };
    const { journal, finished } = openJournal([create, attach, other]);
    const settled = settleFromLive(journal, isOrgChange, (c) => scpTookEffect(c as OrgChange, live([])));
    assert.deepEqual(settled, { done: 1, superseded: 1 });
    assert.deepEqual(
      [...finished],
      [
        [1, 'done'],
        [2, 'superseded'],
      ],
      "another writer's entry is left alone",
    );
    assert.match(describeSettled(settled) ?? '', /Settled 2 change\(s\) .*1 had taken effect, 1 planned again/);
    assert.equal(describeSettled({ done: 0, superseded: 0 }), null);
    assert.equal(scpTookEffect(attach, live(['r-root'])), true);
    assert.equal(scpTookEffect({ ...create, kind: 'scp.delete' }, null), true);
    assert.equal(
      scpTookEffect({ kind: 'scp.update', name: POLICY, content: '{"v":2}', previous: '{"v":1}' }, live([])),
      false,
    );
  });

  it('tells a harden change in place from the Conditional Access and PIM read, and unknown when not read', () => {
    const ca: CaLive = {
      appId: 'a',
      groupIds: new Map(),
      excludeUserIds: [],
      existing: { state: 'enabled', owned: true, includeGroups: ['g-1', 'g-2'] },
    };
    const admins: PimGroupLive = {
      eligible: new Set(['ana@example.com']),
      standing: new Set(['bob@example.com']),
      ownedEligible: new Set(['ana@example.com']),
      rules: { maxActivation: 'PT4H', justification: true },
    };
    const read = { ca, pim: new Map([['aws-admins', admins]]) };
    const cases: [Change, boolean][] = [
      [{ kind: 'entra.ca.state', name: 'p', to: 'enabled', from: 'disabled' }, true],
      [{ kind: 'entra.ca.state', name: 'p', to: 'disabled', from: 'enabled' }, false],
      [{ kind: 'entra.ca.groups', name: 'p', to: ['g-2', 'g-1'], from: ['g-1'] }, true],
      [{ kind: 'entra.ca.groups', name: 'p', to: ['g-1'], from: ['g-1', 'g-2'] }, false],
      [{ kind: 'entra.pim.eligible.add', group: 'AWS-Admins', upn: 'Ana@example.com' }, true],
      [{ kind: 'entra.pim.eligible.add', group: 'AWS-Admins', upn: 'bob@example.com' }, false],
      [{ kind: 'entra.member.remove', group: 'AWS-Admins', upn: 'ana@example.com' }, true],
      [{ kind: 'entra.member.remove', group: 'AWS-Admins', upn: 'bob@example.com' }, false],
      [
        {
          kind: 'entra.pim.rules',
          group: 'AWS-Admins',
          to: { maxActivation: 'PT4H', justification: true },
          from: { maxActivation: 'PT8H', justification: false },
        },
        true,
      ],
      [
        {
          kind: 'entra.pim.rules',
          group: 'AWS-Admins',
          to: { maxActivation: 'PT4H', justification: true, approval: { required: true, approvers: [] } },
          from: { maxActivation: 'PT4H', justification: true },
        },
        false,
      ],
      [{ kind: 'entra.member.remove', group: 'AWS-Other', upn: 'bob@example.com' }, false],
    ];
    for (const [c, expected] of cases) assert.equal(hardenTookEffect(c, read), expected, JSON.stringify(c));
    const notRead = { ca: null, pim: null };
    assert.equal(hardenTookEffect({ kind: 'entra.ca.delete', name: 'p', snapshot: {} as never }, notRead), false);
  });
});
