/** What `iam2sso sync` prints: the change summary before any write (stderr), and the result (stdout). */
import { syncCounts } from '../core/sync/diff.js';
import type { SyncDiff } from '../core/sync/types.js';
import type { SyncMode, SyncRunResult } from '../sync/engine.js';
import type { Io } from './io.js';

function countsLine(c: ReturnType<typeof syncCounts>): string {
  return (
    `users +${c.users.create} ~${c.users.update} deactivate ${c.users.deactivate} -${c.users.delete} (${c.users.unchanged} unchanged); ` +
    `groups +${c.groups.create} ~${c.groups.update} -${c.groups.delete} (${c.groups.unchanged} unchanged); ` +
    `memberships +${c.memberships.add} -${c.memberships.remove} (${c.memberships.unchanged} unchanged)`
  );
}

/** The change summary, printed before the first write. */
export function printSyncPlan(io: Io, diff: SyncDiff, mode: SyncMode, enabled: boolean): void {
  if (!enabled) return;
  io.err(`Changes (${mode.kind}${mode.reason ? `: ${mode.reason}` : ''}): ${countsLine(syncCounts(diff))}`);
  const show = <T>(label: string, items: T[], text: (item: T) => string) => {
    for (const item of items.slice(0, 10)) io.err(`  ${label} ${text(item)}`);
    if (items.length > 10) io.err(`  ... and ${items.length - 10} more`);
  };
  show('+ user', diff.users.create, (u) => u.attributes.userName);
  show('~ user', diff.users.update, (u) => `${u.attributes.userName} (${u.changes.join(', ')})`);
  show('deactivate', diff.users.deactivate, (u) => `${u.userName} (${u.reason})`);
  show('- user', diff.users.delete, (u) => `${u.userName} (${u.reason})`);
  show('+ group', diff.groups.create, (g) => g.displayName);
  show('~ group', diff.groups.update, (g) => `${g.displayName} (${g.changes.join(', ')})`);
  show('- group', diff.groups.delete, (g) => g.displayName);
  if (diff.conflicts.length > 0) {
    io.err(`Conflicts (${diff.conflicts.length}): reported, nothing created for them`);
    for (const c of diff.conflicts) io.err(`  ! ${c.name}: ${c.message} [${c.id}]`);
  }
}

/** The result of a run, for people. */
export function printSyncResult(io: Io, result: SyncRunResult, statePath: string): void {
  const c = result.counts;
  const rules = Object.entries(result.matchedBy)
    .map(([rule, n]) => `${n} by ${rule}`)
    .join(', ');
  const verb = result.dryRun ? 'Dry run: would make' : 'Synced:';
  io.out(`${verb} ${countsLine(c)}.`);
  if (rules) io.out(`Matched ${rules}.`);
  if (c.users.deactivate > 0)
    io.out(
      `${c.users.deactivate} leaver(s) deactivated: removed from every synced group (the Identity Store API cannot disable a user; --leavers delete removes them).`,
    );
  if (result.conflicts.length > 0)
    io.out(`${result.conflicts.length} conflict(s) need a person: see above (or --json).`);
  for (const f of result.failed.slice(0, 10)) io.out(`failed: ${f.item}: ${f.error}`);
  for (const r of result.refused.slice(0, 10)) io.out(`left alone: ${r.item}: ${r.reason}`);
  io.out(
    `${result.writes} write(s) in ${(result.durationMs / 1000).toFixed(1)} s (${result.mode.kind}${result.mode.reason ? `: ${result.mode.reason}` : ''}).` +
      (result.dryRun ? ' Nothing was written or saved.' : ` State saved in ${statePath}.`),
  );
}
