import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dryRunArrivals, dryRunPorts } from '../../src/apply/dry-run.js';
import { applyPerformer } from '../../src/apply/perform.js';
import type { ApplyPorts, IdentityCenterReader } from '../../src/apply/ports.js';
import type { LiveContext } from '../../src/apply/read-live.js';
import {
  formatDuration,
  GroupNotProvisioned,
  provisioningAdvice,
  watchGroupArrivals,
} from '../../src/apply/scim-arrivals.js';
import { parseDurationFlag } from '../../src/cli/parse.js';
import { type Change, changeId } from '../../src/core/reconcile/changes.js';
import type { SyncJob } from '../../src/entra/ports.js';
import type { StoreGroup } from '../../src/ports/identity-store.js';
import { executeChanges, type Performer } from '../../src/reconcile/executor.js';
import { memoryJournal, stateJournal } from '../../src/reconcile/journal.js';
import { resumeOpenEntries } from '../../src/reconcile/resume.js';
import { openStateDb } from '../../src/store/db.js';
import { runEntries } from '../../src/store/journal-repo.js';
import { memoryOwnership } from '../../src/store/ownership-repo.js';

/** An Identity Store whose group list grows by `arrivals[n]` on its n-th read, on a virtual clock moved by sleep. */
function fakeStore(arrivals: StoreGroup[][]) {
  let clock = 0;
  let reads = 0;
  const groups: StoreGroup[] = [];
  return {
    store: {
      async listGroups() {
        groups.push(...(arrivals[reads++] ?? []));
        return [...groups];
      },
    },
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
    reads: () => reads,
  };
}

const group = (groupId: string, displayName: string, externalIds: string[]): StoreGroup => ({
  groupId,
  displayName,
  description: null,
  externalIds,
});

describe('waiting for Entra provisioning to bring groups into the Identity Store', () => {
  it('resolves each group by the Entra object id provisioning writes as externalId, with progress', async () => {
    const fake = fakeStore([[], [group('s-a', 'AWS-A', ['e-a'])], [], [group('s-b', 'AWS-B', ['e-b'])]]);
    const notes: string[] = [];
    const arrivals = watchGroupArrivals(fake.store, {
      waitMs: 60 * 60_000,
      note: (line) => notes.push(line),
      now: fake.now,
      sleep: fake.sleep,
    });
    const got = await Promise.all([arrivals.waitFor('AWS-A', 'e-a'), arrivals.waitFor('AWS-B', 'e-b')]);
    assert.deepEqual(got, ['s-a', 's-b']);
    assert.equal(fake.reads(), 4, 'one Identity Store read per poll for every waiting group');
    assert.match(notes[0], /waiting for 2 group\(s\) to reach the Identity Store .*\(0s of 1h\): AWS-A, AWS-B/);
    assert.ok(notes.some((n) => /group AWS-A reached the Identity Store after 2s/.test(n)));
  });

  it('a group with the planned name but another externalId is not ours: at the deadline it fails with what to check', async () => {
    const fake = fakeStore([[group('s-x', 'AWS-A', ['someone-else'])]]);
    const arrivals = watchGroupArrivals(fake.store, {
      waitMs: 10_000,
      note: () => {},
      now: fake.now,
      sleep: fake.sleep,
      diagnose: async () => 'Provisioning job aws.x is Paused: start provisioning in Entra.',
    });
    await assert.rejects(arrivals.waitFor('AWS-A', 'e-a'), (e: Error) => {
      assert.ok(e instanceof GroupNotProvisioned);
      assert.match(e.message, /group AWS-A \(Entra e-a\) did not reach the Identity Store within 10s/);
      assert.match(e.message, /its account assignments were not made/);
      assert.match(e.message, /without this Entra group's object id as externalId: check the provisioning attribute/);
      assert.match(e.message, /Paused: start provisioning/);
      return true;
    });
  });

  it('says what to check from the provisioning job', () => {
    const job = (over: Partial<SyncJob>): SyncJob[] => [
      {
        id: 'aws.1',
        templateId: 'aws',
        scheduleState: 'Active',
        quarantined: false,
        lastExecutionState: null,
        ...over,
      },
    ];
    const cases: [SyncJob[] | Error, RegExp][] = [
      [[], /no provisioning job: run `iam2sso entra setup --scim-endpoint URL`/],
      [job({ quarantined: true }), /in quarantine: .*--replace-scim-credentials/],
      [job({ scheduleState: 'Paused' }), /is Paused: start provisioning/],
      [job({ lastExecutionState: 'Failed' }), /last cycle failed/],
      [job({ lastExecutionState: 'Succeeded' }), /runs \(last cycle: Succeeded\).*every 40 minutes.*--wait/],
      [new Error('403'), /could not be read \(403\): grant Synchronization\.Read\.All/],
    ];
    for (const [jobs, expected] of cases) {
      const advice = provisioningAdvice(jobs);
      assert.match(advice, expected);
      if (!(Array.isArray(jobs) && jobs.length === 0)) assert.match(advice, /scoping filter/);
    }
    assert.deepEqual(
      [formatDuration(45 * 60_000), formatDuration(90_000), formatDuration(5400_000)],
      ['45m', '1m30s', '1h30m'],
    );
  });

  it('the dry run waits for nothing: it lists the wait', async () => {
    const log: string[] = [];
    const id = await dryRunArrivals(log, 45 * 60_000).waitFor('AWS-A', 'dry-run-entra-group-1');
    assert.match(id, /^dry-run-/);
    assert.deepEqual(log, ["wait up to 45m for Entra's provisioning to bring group AWS-A into the Identity Store"]);
  });

  it('a group that never arrives leaves none of its assignments made; the other group is assigned', async () => {
    const changes: Change[] = [
      { kind: 'entra.group.create', name: 'AWS-A' },
      { kind: 'entra.app.assign', group: 'AWS-A' },
      { kind: 'scim.group.await', group: 'AWS-A' },
      { kind: 'assignment.create', accountId: '111111111111', permissionSet: 'Admin', group: 'AWS-A' },
      { kind: 'assignment.create', accountId: '222222222222', permissionSet: 'Admin', group: 'AWS-A' },
      { kind: 'assignment.create', accountId: '111111111111', permissionSet: 'Admin', group: 'AWS-B' },
    ];
    const calls: string[] = [];
    const performer: Performer = {
      resolve: () => ({}),
      async perform(c) {
        calls.push(changeId(c));
        if (c.kind === 'scim.group.await')
          throw new GroupNotProvisioned('group AWS-A did not reach the Identity Store');
        return { objectId: 'id' };
      },
      limit: (_c, fn) => fn(),
      concurrency: () => 4,
    };
    const journal = memoryJournal();
    const ownership = memoryOwnership({
      isOwned: () => false,
      originOf: () => null,
      record: () => {},
      release: () => {},
      count: () => 0,
    });
    const r = await executeChanges(changes, performer, { runId: 'r', journal, ownership, log: () => {} });
    assert.deepEqual(
      r.failed.map((f) => f.error),
      ['GroupNotProvisioned: group AWS-A did not reach the Identity Store'],
    );
    assert.deepEqual(r.cancelled.map((c) => changeId(c.change)).sort(), [
      'assignment.create:111111111111|Admin|aws-a',
      'assignment.create:222222222222|Admin|aws-a',
    ]);
    assert.ok(!calls.some((c) => c.startsWith('assignment.create:') && c.endsWith('aws-a')), 'never attempted');
    assert.ok(calls.includes('assignment.create:111111111111|Admin|aws-b'));
    assert.equal(journal.entries.find((e) => e.kind === 'scim.group.await')?.undo, null);
  });
});

describe("the executor and a change's own timeout", () => {
  it('ends a wait at the time its performer gives, not the run timeout, and cancels what follows it', async () => {
    const changes: Change[] = [
      { kind: 'scim.group.await', group: 'AWS-A' },
      { kind: 'assignment.create', accountId: '111111111111', permissionSet: 'Admin', group: 'AWS-A' },
    ];
    const performer: Performer = {
      resolve: () => ({}),
      perform: (c) => new Promise((r) => setTimeout(() => r({}), c.kind === 'scim.group.await' ? 300 : 0)),
      limit: (_c, fn) => fn(),
      concurrency: () => 4,
      timeoutMs: (c) => (c.kind === 'scim.group.await' ? 30 : undefined),
    };
    const r = await executeChanges(changes, performer, {
      runId: 't',
      journal: memoryJournal(),
      ownership: memoryOwnership({
        isOwned: () => false,
        originOf: () => null,
        record: () => {},
        release: () => {},
        count: () => 0,
      }),
      log: () => {},
      timeoutMs: 60_000,
    });
    assert.match(r.failed[0]?.error ?? '', /wait for group AWS-A .* did not finish within 0 s/);
    assert.deepEqual(
      r.cancelled.map((c) => c.change.kind),
      ['assignment.create'],
    );
  });
});

describe('a scim dry run through the performer', () => {
  it('lists the Entra writes, the wait and the assignment it would make, and waits for nothing', async () => {
    // Every call that reaches the clouds behind the dry run fails the test: a dry run reads only what it was given.
    const refuse = async (): Promise<never> => {
      throw new Error('a dry run reached the cloud');
    };
    const clouds = new Proxy({} as Record<string, unknown>, { get: () => refuse });
    const writes: string[] = [];
    const wrapped = dryRunPorts(
      { identityCenter: clouds, identityStore: clouds, entra: clouds } as unknown as ApplyPorts,
      writes,
    );
    const live = {
      permissionSetArns: new Map([['Admin', 'arn:aws:sso:::permissionSet/ssoins-1/ps-1']]),
      storeGroupIds: new Map<string, string>(),
      storeUserIds: new Map<string, string>(),
      entraGroupIds: new Map<string, string>(),
      entraUsers: new Map(),
      app: { servicePrincipalId: 'sp-1', appRoleId: 'role-1', displayName: 'AWS' },
      state: { store: { groups: [], users: [] } },
    } as unknown as LiveContext;
    const performer = applyPerformer(wrapped, live, {
      concurrency: 4,
      sleep: async () => {},
      arrivals: dryRunArrivals(writes, 45 * 60_000),
    });
    const changes: Change[] = [
      { kind: 'entra.group.create', name: 'AWS-A' },
      { kind: 'entra.app.assign', group: 'AWS-A' },
      { kind: 'scim.group.await', group: 'AWS-A' },
      { kind: 'assignment.create', accountId: '111111111111', permissionSet: 'Admin', group: 'AWS-A' },
    ];
    const r = await executeChanges(changes, performer, {
      runId: 'dry',
      journal: memoryJournal(),
      ownership: memoryOwnership({
        isOwned: () => false,
        originOf: () => null,
        record: () => {},
        release: () => {},
        count: () => 0,
      }),
      log: () => {},
    });
    assert.equal(r.done.length, 4, JSON.stringify(r));
    assert.equal(performer.timeoutMs?.(changes[2]), 47 * 60_000, 'a wait may last --wait, and its last read');
    assert.equal(performer.timeoutMs?.(changes[3]), undefined, 'other changes keep the run timeout');
    assert.deepEqual(
      writes.map((w) => w.replace(/dry-run-[\w-]+/g, 'ID')),
      [
        'graph POST /groups AWS-A',
        'graph POST /servicePrincipals/sp-1/appRoleAssignedTo ID',
        "wait up to 45m for Entra's provisioning to bring group AWS-A into the Identity Store",
        'CreateAccountAssignment 111111111111 arn:aws:sso:::permissionSet/ssoins-1/ps-1 GROUP ID',
      ],
    );
  });
});

describe('a scim apply killed while it waits', () => {
  it('leaves an open wait that the next run supersedes without calling Identity Center (it decides again from live state)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam2sso-scim-resume-'));
    const db = await openStateDb(join(dir, 'state.db'));
    try {
      const wait: Change = { kind: 'scim.group.await', group: 'AWS-A' };
      stateJournal(db, 'killed', 'plan').begin({
        stepId: changeId(wait),
        kind: wait.kind,
        target: 'AWS-A',
        undo: null,
      });
      const untouchable = new Proxy({}, { get: () => () => Promise.reject(new Error('Identity Center was called')) });
      const lines = await resumeOpenEntries(
        stateJournal(db, 'next', 'plan'),
        untouchable as IdentityCenterReader,
        async () => {},
      );
      assert.deepEqual(lines, []);
      assert.deepEqual(
        runEntries(db, 'killed').map((e) => [e.kind, e.status]),
        [['scim.group.await', 'superseded']],
      );
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Ctrl-C while apply waits for provisioning', () => {
  it('ends every wait at once as interrupted', async () => {
    const stop = new AbortController();
    const arrivals = watchGroupArrivals(
      { listGroups: async () => [] },
      { waitMs: 60 * 60_000, note: () => {}, signal: stop.signal, firstPollMs: 60_000 },
    );
    const started = Date.now();
    const waits = [arrivals.waitFor('AWS-A', 'e-a'), arrivals.waitFor('AWS-B', 'e-b')];
    setTimeout(() => stop.abort(), 20);
    const results = await Promise.allSettled(waits);
    assert.deepEqual(
      results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.status)),
      [
        'interrupted while waiting for group AWS-A to reach the Identity Store',
        'interrupted while waiting for group AWS-B to reach the Identity Store',
      ],
    );
    assert.ok(Date.now() - started < 5000, 'not after the minute-long pause');
  });
});

describe('apply --wait', () => {
  it('takes 90s, 45m, 2h, 1h30m or 0, and names the flag when the value is not a duration', () => {
    const wait = parseDurationFlag('--wait', true);
    assert.deepEqual(['90s', '45m', '2h', '1h30m', '0'].map(wait), [90_000, 2_700_000, 7_200_000, 5_400_000, 0]);
    for (const bad of ['', '45', 'm', '-5m', '1d'])
      assert.throws(() => wait(bad), /--wait takes a duration such as 90s, 45m, 2h or 1h30m \(or 0\)/);
    assert.throws(() => parseDurationFlag('--every')('0'), /--every takes a duration/);
  });
});
