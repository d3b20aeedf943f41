import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AsyncKind, IdentityCenterReader } from '../../src/apply/ports.js';
import { stateJournal } from '../../src/reconcile/journal.js';
import { resumeOpenEntries } from '../../src/reconcile/resume.js';
import { openStateDb } from '../../src/store/db.js';
import { runEntries } from '../../src/store/journal-repo.js';

const ref = {
  accountId: '222222222222',
  permissionSetArn: 'arn:ps',
  principalType: 'GROUP' as const,
  principalId: 'g-1',
};

/** A reader that knows a few requests: each reports IN_PROGRESS once, then its final status. */
function fakeReader(
  requests: Record<string, { status: 'SUCCEEDED' | 'FAILED'; target: typeof ref }>,
): IdentityCenterReader {
  const polled = new Set<string>();
  return {
    instance: async () => ({ instanceArn: 'arn:instance', identityStoreId: 'd-1' }),
    listPermissionSets: async () => [],
    readPolicies: async () => ({
      managedPolicies: [],
      customerManagedPolicies: [],
      inlinePolicy: null,
      permissionsBoundary: null,
    }),
    provisionedAccounts: async () => [],
    listAssignments: async () => [],
    async asyncStatus(_kind: AsyncKind, id: string) {
      if (!polled.has(id)) {
        polled.add(id);
        return { status: 'IN_PROGRESS' };
      }
      return { status: requests[id].status, failureReason: requests[id].status === 'FAILED' ? 'quota' : undefined };
    },
    inProgress: async () => Object.entries(requests).map(([requestId, r]) => ({ requestId, target: r.target })),
  };
}

describe('apply journal and resume', () => {
  it('settles what a killed run left open: polls recorded requests, finds unrecorded ones, supersedes the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam2sso-journal-'));
    const db = await openStateDb(join(dir, 'state.db'));
    try {
      const killed = stateJournal(db, 'run-1', 'plan-a');
      const submitted = killed.begin({ stepId: 's1', kind: 'create-assignment', target: 'a1', payload: ref });
      killed.submitted(submitted, 'req-1');
      killed.begin({ stepId: 's2', kind: 'create-assignment', target: 'a2', payload: { ...ref, principalId: 'g-2' } });
      killed.begin({ stepId: 's3', kind: 'ps.create', target: 'Admin' });
      const done = killed.begin({ stepId: 's4', kind: 'ps.create', target: 'Dev' });
      killed.finish(done, { status: 'done', result: 'arn:dev' });
      const next = stateJournal(db, 'run-2', 'plan-a');
      const lines = await resumeOpenEntries(
        next,
        fakeReader({
          'req-1': { status: 'SUCCEEDED', target: ref },
          'req-2': { status: 'FAILED', target: { ...ref, principalId: 'g-2' } },
        }),
        async () => undefined,
      );
      assert.equal(lines.length, 2);
      assert.deepEqual(next.open(), []);
      const byStep = new Map(runEntries(db, 'run-1').map((e) => [e.stepId, e]));
      assert.equal(byStep.get('s1')?.status, 'done');
      assert.equal(byStep.get('s2')?.status, 'failed');
      assert.equal(byStep.get('s2')?.error, 'quota');
      assert.equal(byStep.get('s3')?.status, 'superseded');
      assert.equal(byStep.get('s4')?.status, 'done');
      assert.deepEqual(byStep.get('s4')?.result, 'arn:dev');
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
