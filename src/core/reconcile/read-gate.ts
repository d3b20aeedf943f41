/**
 * Reads gate writes: no update or delete in an account whose latest audit read was not complete ('ok'), or that the
 * plan does not cover. Creates go on (they change nothing that exists). Pure.
 */
import type { Change } from './changes.js';
import type { Skipped } from './desired.js';

function accountOf(c: Change): string | null {
  if (c.kind === 'assignment.delete' || c.kind === 'ps.provision') return c.accountId;
  return null;
}

/** The changes that may run, and those held back with the reason. */
export function gateByReads(
  changes: Change[],
  readable: ReadonlySet<string>,
  covered: ReadonlySet<string>,
): { changes: Change[]; held: (Skipped & { change: Change })[] } {
  const held: (Skipped & { change: Change })[] = [];
  const out: Change[] = [];
  for (const c of changes) {
    const account = accountOf(c);
    const why = !account
      ? null
      : !covered.has(account)
        ? `account ${account} is not covered by the plan: nothing there is changed or deleted`
        : !readable.has(account)
          ? `account ${account} was not fully read by the latest audit: nothing there is changed or deleted (run \`iam2sso audit\` again)`
          : null;
    if (why)
      held.push({
        item: c.kind === 'ps.provision' ? `provision ${c.name} to ${account}` : `assignment ${account}`,
        reason: why,
        change: c,
      });
    else out.push(c);
  }
  return { changes: out, held };
}
