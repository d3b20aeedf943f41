/**
 * Ownership records: what the tool created (recorded when the create is journaled) or a person adopted. The only
 * proof of ownership the executor accepts; a name, an inherited tag or a Conflict answer is not.
 */
import type { ObjectKind, ObjectRef } from '../core/reconcile/changes.js';
import type { StateDb } from './db.js';

/** One owned object. */
export type OwnedObject = ObjectRef & { objectId: string | null; origin: 'created' | 'adopted'; runId: string | null };

/** Records an object as owned (a repeat keeps the first record, filling in the id when it becomes known). */
export function recordOwned(
  db: StateDb,
  ref: ObjectRef,
  origin: 'created' | 'adopted',
  runId: string | null,
  now: Date,
  objectId: string | null = null,
): void {
  db.prepare(
    `INSERT INTO owned_objects (kind, object_key, object_id, origin, run_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, object_key) DO UPDATE SET object_id = COALESCE(excluded.object_id, owned_objects.object_id)`,
  ).run(ref.kind, ref.key, objectId, origin, runId, now.toISOString());
}

/** Forgets an object (deleted, or its create did not happen). */
export function releaseOwned(db: StateDb, ref: ObjectRef): void {
  db.prepare('DELETE FROM owned_objects WHERE kind = ? AND object_key = ?').run(ref.kind, ref.key);
}

/** Every owned object, or those of one kind. */
export function listOwned(db: StateDb, kind?: ObjectKind): OwnedObject[] {
  const rows = (
    kind
      ? db.prepare('SELECT * FROM owned_objects WHERE kind = ? ORDER BY object_key').all(kind)
      : db.prepare('SELECT * FROM owned_objects ORDER BY kind, object_key').all()
  ) as {
    kind: ObjectKind;
    object_key: string;
    object_id: string | null;
    origin: 'created' | 'adopted';
    run_id: string | null;
  }[];
  return rows.map((r) => ({
    kind: r.kind,
    key: r.object_key,
    objectId: r.object_id,
    origin: r.origin,
    runId: r.run_id,
  }));
}

/** The ownership port the executor and the diffs use: a lookup, and records. */
export type Ownership = {
  isOwned(ref: ObjectRef): boolean;
  /** How the object came to be owned, or null. */
  originOf(ref: ObjectRef): 'created' | 'adopted' | null;
  /** Records the object as owned; `origin` is `created` unless a person adopted it. */
  record(ref: ObjectRef, runId: string | null, objectId?: string | null, origin?: 'created' | 'adopted'): void;
  release(ref: ObjectRef): void;
  count(kind: ObjectKind): number;
};

/** Ownership in the state database (cached in memory for the run, written through). */
export function stateOwnership(db: StateDb, now: () => Date = () => new Date()): Ownership {
  const cache = new Map(listOwned(db).map((o) => [`${o.kind}\n${o.key}`, o.origin]));
  const k = (r: ObjectRef) => `${r.kind}\n${r.key}`;
  return {
    isOwned: (r) => cache.has(k(r)),
    originOf: (r) => cache.get(k(r)) ?? null,
    record(r, runId, objectId = null, origin = 'created') {
      recordOwned(db, r, origin, runId, now(), objectId);
      if (!cache.has(k(r))) cache.set(k(r), origin);
    },
    release(r) {
      releaseOwned(db, r);
      cache.delete(k(r));
    },
    count: (kind) => [...cache.keys()].filter((key) => key.startsWith(`${kind}\n`)).length,
  };
}

/** Ownership kept in memory (a dry run records nothing in the state database). */
export function memoryOwnership(base: Ownership): Ownership {
  const added = new Map<string, 'created' | 'adopted'>();
  const removed = new Set<string>();
  const k = (r: ObjectRef) => `${r.kind}\n${r.key}`;
  return {
    isOwned: (r) => added.has(k(r)) || (!removed.has(k(r)) && base.isOwned(r)),
    originOf: (r) => added.get(k(r)) ?? (removed.has(k(r)) ? null : base.originOf(r)),
    record: (r, _runId, _objectId, origin = 'created') => {
      added.set(k(r), origin);
      removed.delete(k(r));
    },
    release: (r) => {
      removed.add(k(r));
      added.delete(k(r));
    },
    count: (kind) => base.count(kind),
  };
}
