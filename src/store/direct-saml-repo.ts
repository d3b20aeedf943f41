/** The Entra side of direct SAML federation per audit run (see migration 125). */
import type { DirectSamlApp, DirectSamlEntra } from '../core/direct-saml.js';
import type { StateDb } from './db.js';

/** Records what the audit `runId` learnt of the Entra apps (replaces an earlier record of the run). */
export function saveDirectSamlEntra(db: StateDb, runId: string, entra: DirectSamlEntra): void {
  db.prepare('INSERT OR REPLACE INTO audit_direct_saml (run_id, status, detail, apps_json) VALUES (?, ?, ?, ?)').run(
    runId,
    entra.status,
    entra.status === 'read' ? null : entra.detail,
    JSON.stringify(entra.status === 'read' ? entra.apps : []),
  );
}

/** What the audit `runId` learnt of the Entra apps; null for audits made before iam2sso read them. */
export function loadDirectSamlEntra(db: StateDb, runId: string): DirectSamlEntra | null {
  const row = db.prepare('SELECT status, detail, apps_json FROM audit_direct_saml WHERE run_id = ?').get(runId) as
    | { status: DirectSamlEntra['status']; detail: string | null; apps_json: string }
    | undefined;
  if (!row) return null;
  if (row.status === 'read') return { status: 'read', apps: JSON.parse(row.apps_json) as DirectSamlApp[] };
  return { status: row.status, detail: row.detail ?? '' };
}

/** One person's last sign-in to a role through direct SAML federation, as `track` recorded it (any source). */
export type DirectSamlUseRecord = {
  upn: string;
  accountId: string;
  role: string;
  lastTime: string;
  lastEventId: string;
  events: number;
};

/** Who `track` saw sign in through direct SAML federation, newest first: what retiring the providers waits for. */
export function directSamlUses(db: StateDb): DirectSamlUseRecord[] {
  const rows = db
    .prepare(
      // SQLite takes the bare column last_event_id from the row that holds MAX(last_time).
      `SELECT subject, account_id, detail, MAX(last_time) AS last_time, last_event_id, SUM(events) AS events
       FROM track_timeline WHERE usage = 'direct-saml' GROUP BY subject, account_id, detail
       ORDER BY last_time DESC, account_id, detail, subject`,
    )
    .all() as {
    subject: string;
    account_id: string;
    detail: string;
    last_time: string;
    last_event_id: string;
    events: number;
  }[];
  return rows.map((r) => ({
    upn: r.subject,
    accountId: r.account_id,
    role: r.detail,
    lastTime: r.last_time,
    lastEventId: r.last_event_id,
    events: r.events,
  }));
}
