/**
 * What a killed `entra setup` left open in the journal is settled before planning: a change the live state shows in
 * place is journaled done (the call went through, and its undo is kept for rollback); anything else is superseded
 * (the plan decides again from the live state). An app whose instantiate was interrupted may not be readable yet
 * (Entra replicates for a while): it is looked for again before the run may create another.
 */
import { readFile } from 'node:fs/promises';
import type { EntraSetupChange } from '../core/reconcile/changes-entra.js';
import { isEntraSetupChange } from '../core/reconcile/changes-entra.js';
import type { Journal } from '../reconcile/journal.js';
import type { JournalEntry } from '../store/journal-repo.js';
import type { AppReader } from './ports.js';
import { type LiveApp, tookEffect } from './setup-changes.js';
import { AWS_GALLERY_TEMPLATE_ID } from './setup-plan.js';

const REPLICATION_WAIT_MS = 30_000;

/** The app of that name (made from the gallery template) and its provisioning jobs, as they are now. */
export async function readLiveApp(apps: AppReader, name: string): Promise<LiveApp> {
  const [app = null] = await apps.findApps(name, AWS_GALLERY_TEMPLATE_ID);
  return { app, jobs: app ? await apps.listSyncJobs(app.servicePrincipalId) : [] };
}

/**
 * The live state with what this entry needs besides the app: the file it wrote, or whether its user (by the object
 * id journaled with the intent) is assigned to the app now.
 */
async function withEntryState(apps: AppReader, live: LiveApp, entry: JournalEntry, c: EntraSetupChange) {
  if (c.kind === 'entra.file.federation-metadata' || c.kind === 'entra.file.restore') {
    const content = await readFile(c.path, 'utf8').catch(() => null);
    return { ...live, files: new Map([[c.path, content]]) };
  }
  if (c.kind === 'entra.app.user-assign' || c.kind === 'entra.app.user-unassign') {
    const userId = (entry.payload as { ids?: { userId?: string } }).ids?.userId;
    if (!userId || !live.app) return live;
    const assigned = (await apps.listAssignments(live.app.servicePrincipalId)).some((a) => a.principalId === userId);
    return { ...live, assignedUpns: new Set(assigned ? [c.upn.toLowerCase()] : []) };
  }
  return live;
}

/** Settles open setup entries of earlier runs; returns how many it settled. */
export async function settleOpenSetupEntries(
  journal: Journal,
  apps: AppReader,
  live: LiveApp | null,
  appName: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  const open = journal.open().filter((e) => e.kind.startsWith('entra.setup.') || isEntraSetupChange({ kind: e.kind }));
  let current: LiveApp | null = null;
  for (const entry of open) {
    const change = (entry.payload as { change?: EntraSetupChange }).change;
    if (!change || !isEntraSetupChange(change)) {
      journal.finish(entry.entryId, {
        status: 'superseded',
        result: { reason: 'interrupted; re-read from live state' },
      });
      continue;
    }
    const same = change.app.toLowerCase() === appName.toLowerCase();
    current = same && current ? current : same && live ? live : await readLiveApp(apps, change.app);
    if (change.kind === 'entra.app.instantiate' && !current.app) {
      for (
        let waited = 0, d = 500;
        !current.app && waited < REPLICATION_WAIT_MS;
        waited += d, d = Math.min(d * 2, 5000)
      ) {
        await sleep(d);
        current = await readLiveApp(apps, change.app);
      }
    }
    const done = tookEffect(change, await withEntryState(apps, current, entry, change));
    journal.finish(entry.entryId, {
      status: done ? 'done' : 'superseded',
      result: done
        ? { resumed: true, objectId: current.app?.servicePrincipalId ?? null }
        : { reason: 'not in place; planned again' },
    });
  }
  return open.length;
}
