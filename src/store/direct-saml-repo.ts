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
