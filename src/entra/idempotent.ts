/**
 * The one place that makes Graph writes idempotent: a create or add that finds the object or reference
 * already there, and a delete or remove that finds it already gone, are successes ('already').
 */
import { failureOf, isAlreadyExists, isNotFound } from './graph-errors.js';
import type { WriteOutcome } from './ports.js';

/** What a write intends: to make something exist, or to make it not exist. */
export type WriteIntent = 'create' | 'delete';

/** 'already' when the error only says the intended state is already in place; null when it is a real failure. */
export function settledByError(intent: WriteIntent, error: unknown): WriteOutcome | null {
  const failure = failureOf(error);
  if (!failure) return null;
  if (intent === 'create' && isAlreadyExists(failure)) return 'already';
  if (intent === 'delete' && isNotFound(failure)) return 'already';
  return null;
}

/** Runs a write; 'done' when it made the change, 'already' when it was in place, and rethrows real failures. */
export async function writeIdempotently(intent: WriteIntent, write: () => Promise<unknown>): Promise<WriteOutcome> {
  try {
    await write();
    return 'done';
  } catch (error) {
    const settled = settledByError(intent, error);
    if (settled) return settled;
    throw error;
  }
}
