/** Reading back what `iam2sso audit` stored, for end-to-end tests. */
import { buildInventoryRows } from '../../src/report/inventory-rows.js';
import { loadAuditRun } from '../../src/store/audit-repo.js';
import { openStateDb } from '../../src/store/db.js';

/** The inventory rows of the newest run stored in a state file (what `iam2sso inventory` prints). */
export async function storedRows(path: string) {
  const db = await openStateDb(path);
  try {
    return buildInventoryRows(loadAuditRun(db)!);
  } finally {
    db.close();
  }
}

/** The snapshot of the newest run stored in a state file. */
export async function storedSnapshot(path: string) {
  const db = await openStateDb(path);
  try {
    return loadAuditRun(db)!.snapshot;
  } finally {
    db.close();
  }
}
