/**
 * Asynchronous Identity Center steps: account assignment creation and deletion, and provisioning of a changed
 * permission set to the accounts that have it. Each request id is journaled the moment AWS returns it, so a
 * killed run's successor polls it instead of asking again. Limits: at most 15 outstanding requests, 3
 * provisionings at once, one role update per account, one provisioning per permission set.
 */
import { mapLimit } from '../aws/fan-out.js';
import type { ApplyDiff } from '../core/reconcile/apply-diff.js';
import type { DesiredAssignment } from '../core/reconcile/desired.js';
import { awaitRequest, type ExecContext, runStep } from './context.js';
import type { AssignmentRef } from './ports.js';

const lower = (s: string) => s.toLowerCase();

/** The label of an assignment in reports. */
export function assignmentItem(a: { accountId: string; permissionSet: string; group: string }): string {
  return `assignment ${a.accountId} ${a.permissionSet} -> ${a.group}`;
}

function resolve(ctx: ExecContext, a: DesiredAssignment): AssignmentRef | string {
  const permissionSetArn = ctx.live.permissionSetArns.get(a.permissionSet);
  const principalId = ctx.live.storeGroupIds.get(lower(a.group));
  if (!permissionSetArn) return `permission set ${a.permissionSet} does not exist (its creation failed)`;
  if (!principalId) return `group ${a.group} is not in the Identity Store`;
  return { accountId: a.accountId, permissionSetArn, principalType: 'GROUP', principalId };
}

async function changeAssignment(ctx: ExecContext, a: DesiredAssignment, create: boolean): Promise<void> {
  const item = assignmentItem(a);
  const ref = resolve(ctx, a);
  if (typeof ref === 'string') {
    ctx.report.skipped.push({ item, reason: ref });
    return;
  }
  const kind = create ? 'create-assignment' : 'delete-assignment';
  const r = await ctx.limits.accounts.run(a.accountId, () =>
    ctx.limits.async.run(() =>
      runStep(
        ctx,
        {
          stepId: `${kind}:${a.accountId}:${a.permissionSet}:${a.group}`,
          kind,
          target: item,
          payload: ref,
          undo: create ? { deleteAssignment: ref } : { createAssignment: ref },
        },
        item,
        async (entryId) => {
          const ic = ctx.ports.identityCenter;
          const requestId = create ? await ic.createAssignment(ref) : await ic.deleteAssignment(ref);
          if (!requestId) return { requestId: null };
          ctx.journal.submitted(entryId, requestId);
          await awaitRequest(ctx, kind, requestId);
          return { requestId };
        },
      ),
    ),
  );
  if (r.ok) (create ? ctx.report.created : ctx.report.deleted).push(item);
}

/** Creates the missing account assignments. */
export async function createAssignments(ctx: ExecContext, diff: ApplyDiff): Promise<void> {
  await mapLimit(diff.assignments.create, Math.max(ctx.concurrency, 15), (a) => changeAssignment(ctx, a, true));
}

/** Deletes the product's assignments the plan no longer has. */
export async function deleteAssignments(ctx: ExecContext, diff: ApplyDiff): Promise<void> {
  await mapLimit(diff.assignments.delete, Math.max(ctx.concurrency, 15), (a) => changeAssignment(ctx, a, false));
}

/** Provisions changed permission sets to the accounts that already have them. */
export async function provisionChanged(ctx: ExecContext, diff: ApplyDiff): Promise<void> {
  await mapLimit(diff.provisioning, ctx.concurrency, async ({ permissionSet, accountId }) => {
    const item = `provision ${permissionSet} to ${accountId}`;
    const arn = ctx.live.permissionSetArns.get(permissionSet);
    if (!arn) return;
    const r = await ctx.limits.accounts.run(accountId, () =>
      ctx.limits.permissionSets.run(permissionSet, () =>
        ctx.limits.provision.run(() =>
          ctx.limits.async.run(() =>
            runStep(
              ctx,
              {
                stepId: `provision:${permissionSet}:${accountId}`,
                kind: 'provision',
                target: item,
                payload: { permissionSetArn: arn, accountId },
              },
              item,
              async (entryId) => {
                const requestId = await ctx.ports.identityCenter.provision(arn, accountId);
                ctx.journal.submitted(entryId, requestId);
                await awaitRequest(ctx, 'provision', requestId);
                return { requestId };
              },
            ),
          ),
        ),
      ),
    );
    if (r.ok) ctx.report.updated.push(item);
  });
}
