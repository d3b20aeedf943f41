/**
 * `iam2sso sync` state per profile (Entra tenant + identity store): the Graph delta links, the mirror of Entra's
 * directory they lead to, the links between Entra and Identity Store objects (and how each was matched), and the
 * Identity Store as the sync last left it, so an incremental run reads and writes only what changed.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE sync_profiles (
      profile TEXT PRIMARY KEY,
      -- The scope of the last run, as JSON: a changed scope reads the Identity Store again.
      scope_json TEXT NOT NULL,
      users_delta_link TEXT,
      groups_delta_link TEXT,
      last_run_at TEXT,
      last_result_json TEXT
    );

    CREATE TABLE sync_entra_users (
      profile TEXT NOT NULL REFERENCES sync_profiles (profile) ON DELETE CASCADE,
      id TEXT NOT NULL,
      record_json TEXT NOT NULL,
      PRIMARY KEY (profile, id)
    );

    CREATE TABLE sync_entra_groups (
      profile TEXT NOT NULL REFERENCES sync_profiles (profile) ON DELETE CASCADE,
      id TEXT NOT NULL,
      display_name TEXT NOT NULL,
      description TEXT,
      deleted INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (profile, id)
    );

    CREATE TABLE sync_entra_members (
      profile TEXT NOT NULL REFERENCES sync_profiles (profile) ON DELETE CASCADE,
      group_id TEXT NOT NULL,
      member_id TEXT NOT NULL,
      PRIMARY KEY (profile, group_id, member_id)
    );

    CREATE TABLE sync_links (
      profile TEXT NOT NULL REFERENCES sync_profiles (profile) ON DELETE CASCADE,
      entra_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
      target_id TEXT NOT NULL,
      origin TEXT NOT NULL,
      deactivated INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (profile, entra_id)
    );

    CREATE TABLE sync_store_users (
      profile TEXT NOT NULL REFERENCES sync_profiles (profile) ON DELETE CASCADE,
      user_id TEXT NOT NULL,
      record_json TEXT NOT NULL,
      PRIMARY KEY (profile, user_id)
    );

    CREATE TABLE sync_store_groups (
      profile TEXT NOT NULL REFERENCES sync_profiles (profile) ON DELETE CASCADE,
      group_id TEXT NOT NULL,
      record_json TEXT NOT NULL,
      PRIMARY KEY (profile, group_id)
    );

    CREATE TABLE sync_store_memberships (
      profile TEXT NOT NULL REFERENCES sync_profiles (profile) ON DELETE CASCADE,
      membership_id TEXT NOT NULL,
      group_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      PRIMARY KEY (profile, membership_id)
    );
  `);
}
