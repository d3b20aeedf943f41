import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blockersFor,
  defaultDecommissionSettings,
  deleteChanges,
  irreversibleNote,
  stageChanges,
} from '../../src/core/decommission.js';
import { rollbackChanges, stageAfterRunRollback } from '../../src/core/decommission-rollback.js';
import { resumedDeleteSpans } from '../../src/core/decommission-span.js';
import type { IamUserFacts, LegacyUse } from '../../src/core/decommission-types.js';
import type { PlannedUser } from '../../src/core/plan-types.js';
import { type Change, changeId, undoOf } from '../../src/core/reconcile/changes.js';
import { dependenciesOf, orderChanges } from '../../src/core/reconcile/order.js';
import type { TrackWindow } from '../../src/core/track-coverage.js';

const facts: IamUserFacts = {
  accountId: '111111111111',
  userName: 'ana',
  userId: 'AIDAEXAMPLE',
  path: '/people/',
  createDate: '2024-01-01T00:00:00.000Z',
  tags: [{ key: 'team', value: 'data' }],
  permissionsBoundary: null,
  loginProfile: { createDate: '2024-01-01T00:00:00.000Z', passwordResetRequired: false },
  accessKeys: [{ id: 'AKIA1', status: 'Active', date: '2024-01-01' }],
  signingCertificates: [{ id: 'CERT1', status: 'Active', date: '2024-01-01' }],
  sshKeys: [{ id: 'APKA1', status: 'Inactive', date: '2024-01-01' }],
  serviceCredentials: [{ id: 'ACCA1', status: 'Active', date: '2024-01-01', serviceName: 'codecommit.amazonaws.com' }],
  mfaDevices: [{ serialNumber: 'arn:aws:iam::111111111111:mfa/ana', enableDate: '2024-01-01', virtual: true }],
  inlinePolicies: [{ name: 'inline', document: '{"Version":"2012-10-17","Statement":[]}' }],
  attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' }],
  groups: ['devs'],
};

const person: PlannedUser = {
  accountId: '111111111111',
  userName: 'ana',
  category: 'human-console',
  upn: 'ana@example.com',
  upnSource: 'mapping-file',
  action: 'migrate',
  permissionSets: ['ReadOnly'],
  groups: ['AWS-ReadOnly'],
  parity: { gaps: [], excess: [], needsReview: [], acknowledged: [] },
  blockedBy: [],
  notes: [],
};

const entered = '2026-01-01T00:00:00.000Z';
const gate = (over: Partial<Parameters<typeof blockersFor>[1]> = {}) =>
  blockersFor('delete', {
    user: person,
    record: { accountId: person.accountId, userName: 'ana', stage: 'keys-deactivated', enteredAt: entered, runId: 'r' },
    now: new Date('2026-02-15T00:00:00Z'),
    settings: defaultDecommissionSettings(),
    legacy: [],
    tracked: [{ since: '2025-12-15T00:00:00Z', until: '2026-02-14T12:00:00Z', unreachable: [] }],
    sso: { assigned: ['ReadOnly'], verifyProblems: [], firstSsoSignIn: '2025-12-01T00:00:00Z' },
    ...over,
  }).map((b) => b.id);

describe('the decommission stages', () => {
  it('disable-console removes the login profile, recording its reset setting in the change', () => {
    assert.deepEqual(stageChanges('disable-console', facts), [
      { accountId: '111111111111', userName: 'ana', kind: 'iam.login-profile.delete', passwordResetRequired: false },
    ]);
  });

  it('deactivate-keys sets every active credential inactive and deletes nothing', () => {
    const changes = stageChanges('deactivate-keys', facts);
    assert.deepEqual(
      changes.map((c) => changeId(c)),
      [
        'iam.credential.deactivate:111111111111/ana:access-key:AKIA1',
        'iam.credential.deactivate:111111111111/ana:service-credential:ACCA1',
        'iam.credential.deactivate:111111111111/ana:signing-certificate:CERT1',
      ],
    );
    for (const c of changes) assert.equal(undoOf(c)?.kind, 'iam.credential.activate');
  });

  it('delete removes the dependents in the order DeleteUser requires, the user last', () => {
    const ordered = orderChanges(deleteChanges(facts)).map((c) => c.kind + ('type' in c ? `:${c.type}` : ''));
    assert.deepEqual(ordered, [
      'iam.login-profile.delete',
      'iam.credential.delete:access-key',
      'iam.credential.delete:signing-certificate',
      'iam.credential.delete:ssh-key',
      'iam.credential.delete:service-credential',
      'iam.mfa.deactivate',
      'iam.mfa.delete-virtual',
      'iam.user-policy.delete',
      'iam.user-policy.detach',
      'iam.group.remove-user',
      'iam.user.delete',
    ]);
  });

  it('DeleteUser waits for every removal of its user, so a failed one cancels it', () => {
    const changes = deleteChanges(facts) as Change[];
    const deps = dependenciesOf(changes);
    const del = changes.find((c) => c.kind === 'iam.user.delete')!;
    assert.equal(deps.get(changeId(del))?.length, changes.length - 1);
  });

  it('a deleted user is recreated from its snapshot; keys, service passwords and MFA seeds are said to be lost', () => {
    const journaled = deleteChanges(facts).map((change) => ({ change, undo: undoOf(change) as never }));
    const { changes, notes } = rollbackChanges(facts, journaled, null);
    assert.equal(changes[0].kind, 'iam.user.create');
    assert.deepEqual(
      changes.map((c) => c.kind).sort(),
      [
        'iam.group.add-user',
        'iam.login-profile.create',
        'iam.user-policy.attach',
        'iam.user-policy.put',
        'iam.user.create',
      ].sort(),
    );
    assert.ok(notes.some((n) => n.includes('access key AKIA1')));
    assert.ok(notes.some((n) => n.includes('MFA device')));
  });

  it('says before delete what a rollback cannot bring back', () => {
    const note = irreversibleNote(facts);
    for (const lost of ['user id', '1 access key(s)', 'service-specific credential', 'MFA device', 'password'])
      assert.ok(note.includes(lost), `${lost} in: ${note}`);
  });

  it('a delete killed and resumed is undone as one: both runs, newest first, whichever run is named', () => {
    const all = deleteChanges(facts);
    const cut = 3;
    const journal = all.map((change, i) => ({ runId: i < cut ? 'delete-a' : 'delete-b', change }));
    const order = ['keys-run', 'delete-a', 'delete-b', 'later'];
    const snapshots = [{ key: '111111111111/ana', runId: 'delete-a' }];
    for (const target of ['delete-a', 'delete-b'])
      assert.deepEqual(
        [...resumedDeleteSpans(journal, snapshots, order, target)],
        [['111111111111/ana', ['delete-a', 'delete-b']]],
      );
    // An uninterrupted delete, and a run outside the delete, are single runs.
    assert.deepEqual([...resumedDeleteSpans(journal, snapshots, order, 'keys-run')], []);
    const whole = all.map((change) => ({ runId: 'delete-a', change }));
    assert.deepEqual([...resumedDeleteSpans(whole, snapshots, order, 'delete-a')], []);
    // A later delete (after a rollback, with its own snapshot) is not part of the first.
    const again = [...journal, { runId: 'later', change: all[0] }];
    const two = [...snapshots, { key: '111111111111/ana', runId: 'later' }];
    assert.deepEqual([...resumedDeleteSpans(again, two, order, 'later')], []);
    // Undone together: the user comes back with what the first run removed too.
    const journaled = journal.map((j) => ({ change: j.change, undo: undoOf(j.change) as never }));
    const fromB = rollbackChanges(facts, journaled.slice(cut), null).changes.map((c) => c.kind);
    const both = rollbackChanges(facts, journaled, null).changes.map((c) => c.kind);
    assert.equal(both[0], 'iam.user.create');
    assert.ok(both.length > fromB.length, `${both} against ${fromB}`);
    assert.deepEqual(
      [...both].sort(),
      [
        'iam.group.add-user',
        'iam.login-profile.create',
        'iam.user-policy.attach',
        'iam.user-policy.put',
        'iam.user.create',
      ].sort(),
    );
    assert.deepEqual(
      stageAfterRunRollback(
        { accountId: '111111111111', userName: 'ana', stage: 'deleted', enteredAt: 'x', runId: 'delete-b' },
        facts,
        all,
        new Date('2026-01-01T00:00:00Z'),
        'rb',
      ),
      {
        record: {
          accountId: '111111111111',
          userName: 'ana',
          stage: 'keys-deactivated',
          enteredAt: '2026-01-01T00:00:00.000Z',
          runId: 'rb',
        },
      },
    );
  });

  it('rollback leaves alone what is already back (a key active again)', () => {
    const change = stageChanges('deactivate-keys', facts)[0];
    const { changes } = rollbackChanges(facts, [{ change, undo: undoOf(change) as never }], facts);
    assert.deepEqual(changes, [], 'AKIA1 is Active in the live user');
  });
});

describe('rolling back one decommission run', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const at = (stage: 'console-disabled' | 'keys-deactivated' | 'deleted') => ({
    accountId: facts.accountId,
    userName: 'ana',
    stage,
    enteredAt: entered,
    runId: 'later',
  });
  const keysRun = stageChanges('deactivate-keys', facts);
  const consoleRun = stageChanges('disable-console', facts);

  it('is refused for a user a later stage moved on, naming that run', () => {
    const got = stageAfterRunRollback(at('keys-deactivated'), facts, consoleRun, now, 'rb');
    assert.deepEqual(got, { refused: 'it is keys-deactivated since a later run (later): undo that first' });
  });

  it('puts the user back in the stage before, whose watch window starts again', () => {
    assert.deepEqual(stageAfterRunRollback(at('keys-deactivated'), facts, keysRun, now, 'rb'), {
      record: { ...at('console-disabled'), enteredAt: now.toISOString(), runId: 'rb' },
    });
    assert.deepEqual(stageAfterRunRollback(at('deleted'), facts, deleteChanges(facts), now, 'rb'), {
      record: { ...at('keys-deactivated'), enteredAt: now.toISOString(), runId: 'rb' },
    });
    assert.deepEqual(stageAfterRunRollback(at('console-disabled'), facts, consoleRun, now, 'rb'), { record: null });
  });

  it('leaves the stage of a user already back before the run alone', () => {
    assert.equal(stageAfterRunRollback(null, facts, consoleRun, now, 'rb'), 'unchanged');
    assert.equal(stageAfterRunRollback(at('console-disabled'), facts, keysRun, now, 'rb'), 'unchanged');
  });
});

describe('the gates of delete', () => {
  it('passes once the window is over, track has read it, nothing was used and SSO access is proven', () => {
    assert.deepEqual(gate(), []);
  });

  it('waits for the watch window (configurable)', () => {
    assert.deepEqual(gate({ now: new Date('2026-01-20T00:00:00Z') }), ['window.open']);
    assert.deepEqual(gate({ settings: { watchDays: 60, requireSsoSignIn: true } }), ['window.open']);
  });

  it('stops on a use seen in the window, naming the event; an older use does not count', () => {
    const use: LegacyUse = {
      via: 'access-key',
      usage: 'legacy-attempt',
      detail: 'AKIA1',
      accountId: '111111111111',
      lastTime: '2026-01-10T00:00:00Z',
      lastEventId: 'ev-1',
      events: 2,
      sourceIp: '10.0.0.1',
    };
    const blockers = blockersFor('delete', {
      user: person,
      record: {
        accountId: person.accountId,
        userName: 'ana',
        stage: 'keys-deactivated',
        enteredAt: entered,
        runId: 'r',
      },
      now: new Date('2026-02-15T00:00:00Z'),
      settings: defaultDecommissionSettings(),
      legacy: [use],
      tracked: [{ since: '2025-12-15T00:00:00Z', until: '2026-02-14T12:00:00Z', unreachable: [] }],
      sso: { assigned: ['ReadOnly'], verifyProblems: [], firstSsoSignIn: '2025-12-01T00:00:00Z' },
    });
    assert.equal(blockers.length, 1);
    assert.match(blockers[0].message, /AKIA1.*ev-1/);
    assert.deepEqual(gate({ legacy: [{ ...use, lastTime: '2025-12-20T00:00:00Z' }] }), []);
  });

  it('says which SSO evidence is missing', () => {
    assert.deepEqual(gate({ sso: { assigned: [], verifyProblems: null, firstSsoSignIn: null } }), [
      'sso.no-assignment',
      'sso.not-verified',
      'sso.no-sign-in',
    ]);
    assert.deepEqual(
      gate({
        sso: { assigned: ['ReadOnly'], verifyProblems: [], firstSsoSignIn: null },
        settings: { watchDays: 30, requireSsoSignIn: false },
      }),
      [],
    );
  });

  it('needs track to have read the whole watch window, naming the days it did not read', () => {
    assert.deepEqual(gate({ tracked: [] }), ['track.stale']);
    const message = (tracked: TrackWindow[]) => {
      const b = blockersFor('delete', {
        user: person,
        record: {
          accountId: person.accountId,
          userName: 'ana',
          stage: 'keys-deactivated',
          enteredAt: entered,
          runId: 'r',
        },
        now: new Date('2026-02-15T00:00:00Z'),
        settings: defaultDecommissionSettings(),
        legacy: [],
        tracked,
        sso: { assigned: ['ReadOnly'], verifyProblems: [], firstSsoSignIn: '2025-12-01T00:00:00Z' },
      });
      return b.map((x) => `${x.id}: ${x.message}`).join('\n');
    };
    const first = { since: '2025-12-15T00:00:00Z', until: '2026-01-10T06:00:00Z', unreachable: [] };
    const second = { since: '2026-01-12T00:00:00Z', until: '2026-02-14T12:00:00Z', unreachable: [] };
    assert.equal(
      message([second, first]),
      'track.gap: `iam2sso track` has not read CloudTrail of 111111111111 for 2026-01-10 to 2026-01-11 (watch window since 2026-01-01): run `iam2sso track --since 36d`',
    );
    assert.equal(message([first, { ...second, since: '2026-01-10T00:00:00Z' }]), '', 'overlapping runs cover it');
    // A run that could not reach the account does not cover it; nor does a last run more than a day old.
    assert.match(message([first, { ...second, unreachable: ['111111111111'] }]), /for 2026-01-10 to 2026-02-13 /);
    assert.match(
      message([
        { ...first, until: '2026-01-05T00:00:00Z' },
        { ...second, since: '2026-01-04T00:00:00Z', until: '2026-02-10T00:00:00Z' },
      ]),
      /for 2026-02-10 to 2026-02-13 /,
    );
  });

  it('needs every region track reads covered for the whole window, naming the account, region and days missing', () => {
    const message = (tracked: TrackWindow[]) =>
      blockersFor('delete', {
        user: person,
        record: {
          accountId: person.accountId,
          userName: 'ana',
          stage: 'keys-deactivated',
          enteredAt: entered,
          runId: 'r',
        },
        now: new Date('2026-02-15T00:00:00Z'),
        settings: defaultDecommissionSettings(),
        legacy: [],
        tracked,
        sso: { assigned: ['ReadOnly'], verifyProblems: [], firstSsoSignIn: '2025-12-01T00:00:00Z' },
      })
        .map((x) => `${x.id}: ${x.message}`)
        .join('\n');
    const both = ['us-east-1', 'eu-west-1'];
    const early = {
      since: '2025-12-15T00:00:00Z',
      until: '2026-01-20T00:00:00Z',
      unreachable: [],
      regions: ['us-east-1'],
    };
    const late = { since: '2026-01-20T00:00:00Z', until: '2026-02-14T12:00:00Z', unreachable: [], regions: both };
    // eu-west-1 was read only from 2026-01-20: a key used there before would have gone unseen.
    assert.equal(
      message([early, late]),
      'track.gap: `iam2sso track` has not read CloudTrail of 111111111111 in eu-west-1 for 2026-01-01 to 2026-01-19 (watch window since 2026-01-01): run `iam2sso track --since 45d --regions eu-west-1`',
    );
    assert.equal(message([{ ...early, regions: both }, late]), '');
    // A region that failed in one run is a gap for that region only.
    const failed = { ...late, unreachableRegions: [{ accountId: '111111111111', region: 'us-east-1' }] };
    assert.match(
      message([{ ...early, regions: both }, failed]),
      /of 111111111111 in us-east-1 for 2026-01-20 to 2026-02-13 /,
    );
    assert.doesNotMatch(message([{ ...early, regions: both }, failed]), /eu-west-1/);
    // Trail files hold every region (regions: null), as do runs recorded before regions were.
    assert.equal(message([{ ...early, regions: null }, late]), '');
    assert.equal(
      message([
        { ...early, regions: undefined },
        { ...late, regions: undefined },
      ]),
      '',
    );
  });

  it('needs the previous stage', () => {
    assert.deepEqual(
      gate({
        record: {
          accountId: '111111111111',
          userName: 'ana',
          stage: 'console-disabled',
          enteredAt: entered,
          runId: null,
        },
      }),
      ['stage.previous'],
    );
  });
});
