/**
 * What keeps a sync from turning a broken source into "everyone left": an empty full read of Entra while the sync
 * holds links is refused, and more leavers than the mass-change threshold need `--allow-mass-delete`. Also whether
 * the last sync was killed (then the Identity Store is read again, not taken from the saved state).
 */
import { describeMassChanges, findMassChanges } from '../core/reconcile/guard.js';
import type { SyncDiff } from '../core/sync/types.js';
import { CloudError } from '../errors.js';
import type { StateDb } from '../store/db.js';
import { listRuns } from '../store/runs-repo.js';
import type { SyncStateRecord } from '../store/sync-repo.js';
import type { EntraMirror } from './mirror.js';

/** The refusal of a sync run (exit 1, nothing written). */
function refusal(name: string, message: string, hint: string): CloudError {
  return new CloudError('iam2sso', name, message, undefined, hint);
}

/** Refuses a full read that found no users while earlier runs linked some: the source failed, nobody left. */
export function refuseEmptySource(prior: SyncStateRecord | null, mirror: EntraMirror, fullRead: boolean): void {
  const linked = (prior?.links ?? []).filter((l) => l.kind === 'user').length;
  const live = [...mirror.users.values()].filter((u) => !u.deleted).length;
  if (fullRead && linked > 0 && live === 0)
    throw refusal(
      'EmptySource',
      `Entra returned no users on a full read, while ${linked} user(s) are linked from earlier syncs: treated as a failed read, nothing was changed`,
      'check the Graph permissions and the tenant, then run again',
    );
}

/** Refuses more deletions or deactivations than the threshold unless allowed. */
export function refuseMassLeave(diff: SyncDiff, prior: SyncStateRecord | null, allow: boolean): void {
  const users = (prior?.links ?? []).filter((l) => l.kind === 'user').length;
  const groups = (prior?.links ?? []).filter((l) => l.kind === 'group').length;
  const found = findMassChanges([
    { kind: 'users', removals: diff.users.delete.length + diff.users.deactivate.length, owned: users },
    { kind: 'groups', removals: diff.groups.delete.length, owned: groups },
  ]);
  if (found.length > 0 && !allow)
    throw refusal('MassDelete', describeMassChanges(found), 'see `iam2sso sync --dry-run` for the list of leavers');
}

/** True when the latest sync run started and never finished (killed): its writes are not in the saved state. */
export function lastSyncInterrupted(db: StateDb): boolean {
  const last = listRuns(db)
    .filter((r) => r.command === 'sync')
    .at(-1);
  return last?.status === 'running';
}
