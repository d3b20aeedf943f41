/**
 * Idempotent writes for Identity Center and the Identity Store, in one helper: "already exists" and "not found
 * on delete" are success, and "an operation is in progress" waits and retries.
 */

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a failed write means: done already, retry later, or a real failure. */
function outcome(error: unknown, on: { exists?: boolean; missing?: boolean }): 'success' | 'retry' | 'fail' {
  const e = error as Error;
  const message = e.message ?? '';
  if (e.name === 'ConflictException' && /in progress|try again/i.test(message)) return 'retry';
  if (on.exists && e.name === 'ConflictException') return 'success';
  if (on.missing && e.name === 'ResourceNotFoundException') return 'success';
  return 'fail';
}

/**
 * Runs a write so that repeating it is harmless: `exists` treats ConflictException (already there) as success,
 * `missing` treats ResourceNotFoundException (already gone) as success; "in progress" conflicts are retried.
 * Returns undefined when the call was skipped as already done.
 */
export async function idempotent<T>(
  call: () => Promise<T>,
  on: { exists?: boolean; missing?: boolean },
  retries = 30,
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const o = outcome(error, on);
      if (o === 'success') return undefined;
      if (o === 'fail' || attempt >= retries) throw error;
      await wait(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
    }
  }
}
