/**
 * The writer lease: the one lock every writing command holds (apply, sync, entra setup, harden, scp, decommission,
 * breakglass, replace, rollback) names the command that holds it and carries a heartbeat the holder refreshes, so
 * that a lease left by a process on another host can be taken over once its heartbeat is stale. The old `apply` lock
 * becomes the writer lease.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE locks ADD COLUMN command TEXT NOT NULL DEFAULT 'apply';
    -- When the holder last showed it is alive (ISO time); a stale heartbeat from another host means it is gone.
    ALTER TABLE locks ADD COLUMN heartbeat_at TEXT;
    UPDATE locks SET heartbeat_at = acquired_at;
    UPDATE locks SET name = 'writer' WHERE name = 'apply';
  `);
}
