/**
 * What a killed run left open in the journal is settled before the live state is read: an asynchronous request
 * whose id was recorded is polled to its end; one whose id was not (killed between the call and the record) is
 * looked for among Identity Center's in-progress requests of that kind and waited for; any other open intent is
 * marked superseded, because reading the live state decides again whether it is still needed.
 */

import type { AssignmentRef, AsyncKind, AsyncStatus, IdentityCenterReader } from '../apply/ports.js';
import type { JournalEntry } from '../store/journal-repo.js';
import type { Journal } from './journal.js';

/** The asynchronous request kind of a journal entry's change kind (older journals used the request kinds). */
const ASYNC: Record<string, AsyncKind> = {
  'assignment.create': 'create-assignment',
  'assignment.delete': 'delete-assignment',
  'ps.provision': 'provision',
  'create-assignment': 'create-assignment',
  'delete-assignment': 'delete-assignment',
  provision: 'provision',
};

async function settle(
  ic: IdentityCenterReader,
  kind: AsyncKind,
  requestId: string,
  sleep: (ms: number) => Promise<void>,
): Promise<AsyncStatus> {
  let wait = 100;
  for (;;) {
    const s = await ic.asyncStatus(kind, requestId);
    if (s.status !== 'IN_PROGRESS') return s;
    await sleep(wait);
    wait = Math.min(wait * 2, 2000);
  }
}

function sameTarget(entry: JournalEntry, target: Partial<AssignmentRef>): boolean {
  const payload = entry.payload as { ids?: Partial<AssignmentRef> } & Partial<AssignmentRef>;
  const p = payload.ids ?? payload;
  return (
    p.accountId === target.accountId &&
    p.permissionSetArn === target.permissionSetArn &&
    (ASYNC[entry.kind] === 'provision' || p.principalId === target.principalId)
  );
}

/** Settles the open entries; returns a line per entry for the log. */
export async function resumeOpenEntries(
  journal: Journal,
  ic: IdentityCenterReader,
  sleep: (ms: number) => Promise<void>,
): Promise<string[]> {
  const open = journal.open();
  const lines: string[] = [];
  const inProgress = new Map<AsyncKind, { requestId: string; target: Partial<AssignmentRef> }[]>();
  for (const entry of open) {
    const kind = ASYNC[entry.kind];
    if (!kind) {
      journal.finish(entry.entryId, {
        status: 'superseded',
        result: { reason: 'interrupted; re-read from live state' },
      });
      continue;
    }
    let requestId = entry.requestId;
    if (!requestId) {
      if (!inProgress.has(kind)) inProgress.set(kind, await ic.inProgress(kind));
      requestId = inProgress.get(kind)!.find((op) => sameTarget(entry, op.target))?.requestId ?? null;
    }
    if (!requestId) {
      journal.finish(entry.entryId, { status: 'superseded', result: { reason: 'no request in flight' } });
      continue;
    }
    const s = await settle(ic, kind, requestId, sleep);
    journal.finish(entry.entryId, {
      status: s.status === 'SUCCEEDED' ? 'done' : 'failed',
      result: { requestId, resumed: true },
      error: s.failureReason,
    });
    lines.push(`resumed ${entry.target}: request ${requestId} ${s.status}`);
  }
  return lines;
}
