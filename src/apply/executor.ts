/**
 * `applyPlan`: from the change set to the clouds, in the order Identity Center needs: permission sets, Entra
 * groups and members and app assignment, the Identity Store mirror, account assignments, provisioning of changed
 * permission sets, and deletions last (assignments, then permission sets, then groups). Partial failures are in
 * the report; the rest goes on.
 */
import { mapLimit } from '../aws/fan-out.js';
import type { ApplyDiff } from '../core/reconcile/apply-diff.js';
import { type ApplyLimits, type ApplyReport, type ExecContext, emptyReport } from './context.js';
import type { Journal } from './journal.js';
import { KeyedMutex, Semaphore, sleep } from './limits.js';
import type { ApplyPorts } from './ports.js';
import type { LiveContext } from './read-live.js';
import { assignmentItem, createAssignments, deleteAssignments, provisionChanged } from './steps-assignments.js';
import { applyEntra, deleteGroups, mirrorGroupsToIdentityStore } from './steps-directory.js';
import { createPermissionSet, deletePermissionSet, updatePermissionSet } from './steps-permission-sets.js';

export type ApplyOptions = {
  concurrency: number;
  pollMs?: number;
  log(line: string): void;
  sleep?: (ms: number) => Promise<void>;
};

/** Identity Center's documented quotas. */
export function identityCenterLimits(): ApplyLimits {
  return {
    async: new Semaphore(15),
    provision: new Semaphore(3),
    accounts: new KeyedMutex(),
    permissionSets: new KeyedMutex(),
  };
}

function unchangedItems(diff: ApplyDiff): string[] {
  return [
    ...diff.permissionSets.unchanged.map((p) => `permission set ${p.name}`),
    ...diff.groups.unchanged.map((g) => `Entra group ${g.name}`),
    ...diff.assignments.unchanged.map(assignmentItem),
  ];
}

/** Applies a change set through the ports, journaled; returns what happened. */
export async function applyChanges(
  diff: ApplyDiff,
  live: LiveContext,
  ports: ApplyPorts,
  journal: Journal,
  options: ApplyOptions,
): Promise<ApplyReport> {
  const report = emptyReport();
  report.skipped.push(...diff.skipped);
  report.unchanged.push(...unchangedItems(diff));
  const ctx: ExecContext = {
    ports,
    journal,
    live,
    report,
    limits: identityCenterLimits(),
    concurrency: options.concurrency,
    pollMs: options.pollMs ?? 100,
    sleep: options.sleep ?? sleep,
    log: options.log,
  };
  const phase = (name: string, n: number) => n > 0 && options.log(`${name} (${n})`);
  phase('permission sets', diff.permissionSets.create.length + diff.permissionSets.update.length);
  await mapLimit(diff.permissionSets.create, ctx.concurrency, (p) => createPermissionSet(ctx, p));
  await mapLimit(diff.permissionSets.update, ctx.concurrency, (u) => updatePermissionSet(ctx, u));
  phase(
    'Entra groups, members and app assignments',
    diff.groups.create.length + diff.groups.update.length + diff.appAssignments.length,
  );
  await applyEntra(ctx, diff);
  const s = diff.store;
  phase(
    'Identity Store mirror of the planned groups',
    s.createGroups.length + s.createUsers.length + s.addMembers.length + s.removeMembers.length,
  );
  await mirrorGroupsToIdentityStore(ctx, diff);
  phase('account assignments', diff.assignments.create.length);
  await createAssignments(ctx, diff);
  phase('provisioning changed permission sets', diff.provisioning.length);
  await provisionChanged(ctx, diff);
  phase(
    'deletions',
    diff.assignments.delete.length +
      diff.permissionSets.delete.length +
      s.deleteGroups.length +
      diff.groups.delete.length,
  );
  await deleteAssignments(ctx, diff);
  await mapLimit(diff.permissionSets.delete, ctx.concurrency, (p) => deletePermissionSet(ctx, p));
  await deleteGroups(ctx, diff);
  return report;
}
