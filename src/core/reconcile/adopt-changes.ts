/**
 * The change kinds of explicit adoption: `object.adopt` records an existing object as the tool's (no call to the
 * cloud: the executor records the ownership when the adoption is journaled), and its undo `object.release` forgets
 * it again (the object itself is left as it is). Pure.
 */
import type { Change, ObjectRef } from './changes.js';

/** Adopting or releasing an object: `label` is how it reads (`permission set Admins`), `objectId` its live id. */
export type AdoptChange =
  | { kind: 'object.adopt'; object: ObjectRef; objectId: string | null; label: string }
  | { kind: 'object.release'; object: ObjectRef; objectId: string | null; label: string };

/** True for the adoption kinds. */
export function isAdoptChange(c: Change): c is AdoptChange {
  return c.kind === 'object.adopt' || c.kind === 'object.release';
}

/** The stable id of an adoption change. */
export function adoptChangeId(c: AdoptChange): string {
  return `${c.kind}:${c.object.kind}:${c.object.key}`;
}

/** The object an adoption makes the tool's (recorded with origin `adopted` when it is journaled), or null. */
export function adoptedObject(c: Change): ObjectRef | null {
  return c.kind === 'object.adopt' ? c.object : null;
}

/** The object a release lets go of (it must be owned; its record goes when the release is done), or null. */
export function releasedObject(c: Change): ObjectRef | null {
  return c.kind === 'object.release' ? c.object : null;
}

/** Adopt and release undo each other. */
export function undoOfAdopt(c: AdoptChange): AdoptChange {
  return { ...c, kind: c.kind === 'object.adopt' ? 'object.release' : 'object.adopt' };
}

/** The diff line: adoptions are their own lines (`= adopt ...`), never folded into creates or updates. */
export function describeAdopt(c: AdoptChange): string {
  return `= ${c.kind === 'object.adopt' ? 'adopt' : 'release'} ${c.label}${c.objectId ? ` (${c.objectId})` : ''}`;
}
