/**
 * The sync repository: one profile's delta links, Entra mirror, links and Identity Store mirror, loaded whole
 * and saved whole in one transaction (a run that dies before saving leaves the previous state intact).
 */
import type {
  DirectoryGroup,
  EntraUser,
  StoreGroup,
  StoreMembership,
  StoreState,
  StoreUser,
  SyncLink,
  SyncScope,
} from '../core/sync/types.js';
import type { StateDb } from './db.js';

/** Everything the sync keeps for a profile. */
export type SyncStateRecord = {
  scope: SyncScope;
  usersDeltaLink: string | null;
  groupsDeltaLink: string | null;
  users: EntraUser[];
  groups: DirectoryGroup[];
  links: SyncLink[];
  store: StoreState;
  lastRunAt: string | null;
  lastResult: unknown;
};

type ProfileRow = {
  scope_json: string;
  users_delta_link: string | null;
  groups_delta_link: string | null;
  last_run_at: string | null;
  last_result_json: string | null;
};

/** Loads a profile's state, or null when the sync never ran for it. */
export function loadSyncState(db: StateDb, profile: string): SyncStateRecord | null {
  const row = db.prepare('SELECT * FROM sync_profiles WHERE profile = ?').get(profile) as ProfileRow | undefined;
  if (!row) return null;
  const all = <T>(sql: string) => db.prepare(sql).all(profile) as T[];
  const members = new Map<string, string[]>();
  for (const m of all<{ group_id: string; member_id: string }>(
    'SELECT group_id, member_id FROM sync_entra_members WHERE profile = ?',
  )) {
    const list = members.get(m.group_id);
    if (list) list.push(m.member_id);
    else members.set(m.group_id, [m.member_id]);
  }
  return {
    scope: JSON.parse(row.scope_json) as SyncScope,
    usersDeltaLink: row.users_delta_link,
    groupsDeltaLink: row.groups_delta_link,
    lastRunAt: row.last_run_at,
    lastResult: row.last_result_json ? JSON.parse(row.last_result_json) : null,
    users: all<{ record_json: string }>('SELECT record_json FROM sync_entra_users WHERE profile = ?').map(
      (r) => JSON.parse(r.record_json) as EntraUser,
    ),
    groups: all<{ id: string; display_name: string; description: string | null; deleted: number }>(
      'SELECT id, display_name, description, deleted FROM sync_entra_groups WHERE profile = ?',
    ).map((g) => ({
      id: g.id,
      displayName: g.display_name,
      description: g.description,
      members: members.get(g.id) ?? [],
      ...(g.deleted ? { deleted: true } : {}),
    })),
    links: all<{
      entra_id: string;
      kind: 'user' | 'group';
      target_id: string;
      origin: SyncLink['origin'];
      deactivated: number;
    }>('SELECT entra_id, kind, target_id, origin, deactivated FROM sync_links WHERE profile = ?').map((l) => ({
      entraId: l.entra_id,
      kind: l.kind,
      targetId: l.target_id,
      origin: l.origin,
      ...(l.deactivated ? { deactivated: true } : {}),
    })),
    store: {
      users: all<{ record_json: string }>('SELECT record_json FROM sync_store_users WHERE profile = ?').map(
        (r) => JSON.parse(r.record_json) as StoreUser,
      ),
      groups: all<{ record_json: string }>('SELECT record_json FROM sync_store_groups WHERE profile = ?').map(
        (r) => JSON.parse(r.record_json) as StoreGroup,
      ),
      memberships: all<{ membership_id: string; group_id: string; user_id: string }>(
        'SELECT membership_id, group_id, user_id FROM sync_store_memberships WHERE profile = ?',
      ).map((m): StoreMembership => ({ membershipId: m.membership_id, groupId: m.group_id, userId: m.user_id })),
    },
  };
}

const CHILD_TABLES = [
  'sync_entra_users',
  'sync_entra_groups',
  'sync_entra_members',
  'sync_links',
  'sync_store_users',
  'sync_store_groups',
  'sync_store_memberships',
];

/** Replaces a profile's state with `state`, atomically. */
export function saveSyncState(db: StateDb, profile: string, state: SyncStateRecord): void {
  const insert = (sql: string) => db.prepare(sql);
  const user = insert('INSERT INTO sync_entra_users (profile, id, record_json) VALUES (?, ?, ?)');
  const group = insert(
    'INSERT INTO sync_entra_groups (profile, id, display_name, description, deleted) VALUES (?, ?, ?, ?, ?)',
  );
  const member = insert('INSERT OR IGNORE INTO sync_entra_members (profile, group_id, member_id) VALUES (?, ?, ?)');
  const link = insert(
    'INSERT OR REPLACE INTO sync_links (profile, entra_id, kind, target_id, origin, deactivated) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const storeUser = insert('INSERT OR REPLACE INTO sync_store_users (profile, user_id, record_json) VALUES (?, ?, ?)');
  const storeGroup = insert(
    'INSERT OR REPLACE INTO sync_store_groups (profile, group_id, record_json) VALUES (?, ?, ?)',
  );
  const membership = insert(
    'INSERT OR REPLACE INTO sync_store_memberships (profile, membership_id, group_id, user_id) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare(
      `INSERT INTO sync_profiles (profile, scope_json, users_delta_link, groups_delta_link, last_run_at, last_result_json)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (profile) DO UPDATE SET scope_json = excluded.scope_json, users_delta_link = excluded.users_delta_link,
         groups_delta_link = excluded.groups_delta_link, last_run_at = excluded.last_run_at,
         last_result_json = excluded.last_result_json`,
    ).run(
      profile,
      JSON.stringify(state.scope),
      state.usersDeltaLink,
      state.groupsDeltaLink,
      state.lastRunAt,
      state.lastResult === null || state.lastResult === undefined ? null : JSON.stringify(state.lastResult),
    );
    for (const table of CHILD_TABLES) db.prepare(`DELETE FROM ${table} WHERE profile = ?`).run(profile);
    for (const u of state.users) user.run(profile, u.id, JSON.stringify(u));
    for (const g of state.groups) {
      group.run(profile, g.id, g.displayName, g.description, g.deleted ? 1 : 0);
      for (const m of g.members) member.run(profile, g.id, m);
    }
    for (const l of state.links) link.run(profile, l.entraId, l.kind, l.targetId, l.origin, l.deactivated ? 1 : 0);
    for (const u of state.store.users) storeUser.run(profile, u.userId, JSON.stringify(u));
    for (const g of state.store.groups) storeGroup.run(profile, g.groupId, JSON.stringify(g));
    for (const m of state.store.memberships) membership.run(profile, m.membershipId, m.groupId, m.userId);
  })();
}
