/**
 * Permission set steps: create (tagged as the product's, then its managed, customer managed and inline policies
 * and boundary), update (only what differs), delete (the product's own, once their assignments are gone).
 * Every call is one journaled step.
 */
import type { DesiredPermissionSet } from '../core/reconcile/desired.js';
import type { LivePermissionSet, Update } from '../core/reconcile/diff.js';
import { type ExecContext, runStep } from './context.js';
import { MANAGED_TAG } from './ports.js';

const ref = (p: { name: string; path: string }) => `${p.path}${p.name}`;

/** Sets a permission set's policies from `from` to `to`; true when every call succeeded. */
async function syncPolicies(
  ctx: ExecContext,
  name: string,
  arn: string,
  from: Omit<DesiredPermissionSet, 'name' | 'description' | 'sessionDuration'>,
  to: DesiredPermissionSet,
): Promise<boolean> {
  const ic = ctx.ports.identityCenter;
  const item = `permission set ${name}`;
  const calls: { kind: string; target: string; payload?: unknown; undo?: unknown; run: () => Promise<void> }[] = [];
  for (const p of to.managedPolicies)
    if (!from.managedPolicies.includes(p))
      calls.push({
        kind: 'ps.attach-managed',
        target: p,
        undo: { detach: p },
        run: () => ic.attachManagedPolicy(arn, p),
      });
  for (const p of from.managedPolicies)
    if (!to.managedPolicies.includes(p))
      calls.push({
        kind: 'ps.detach-managed',
        target: p,
        undo: { attach: p },
        run: () => ic.detachManagedPolicy(arn, p),
      });
  const toCm = new Set(to.customerManagedPolicies.map(ref));
  const fromCm = new Set(from.customerManagedPolicies.map(ref));
  for (const p of to.customerManagedPolicies)
    if (!fromCm.has(ref(p)))
      calls.push({
        kind: 'ps.attach-customer-managed',
        target: ref(p),
        undo: { detach: p },
        run: () => ic.attachCustomerManagedPolicy(arn, p),
      });
  for (const p of from.customerManagedPolicies)
    if (!toCm.has(ref(p)))
      calls.push({
        kind: 'ps.detach-customer-managed',
        target: ref(p),
        undo: { attach: p },
        run: () => ic.detachCustomerManagedPolicy(arn, p),
      });
  if (to.inlinePolicy !== from.inlinePolicy) {
    const inline = to.inlinePolicy;
    calls.push(
      inline === null
        ? {
            kind: 'ps.delete-inline',
            target: 'inline',
            undo: { put: from.inlinePolicy },
            run: () => ic.deleteInlinePolicy(arn),
          }
        : {
            kind: 'ps.put-inline',
            target: 'inline',
            payload: { length: inline.length },
            undo: { restore: from.inlinePolicy },
            run: () => ic.putInlinePolicy(arn, inline),
          },
    );
  }
  if (JSON.stringify(to.permissionsBoundary) !== JSON.stringify(from.permissionsBoundary)) {
    const boundary = to.permissionsBoundary;
    calls.push(
      boundary === null
        ? {
            kind: 'ps.delete-boundary',
            target: 'boundary',
            undo: { put: from.permissionsBoundary },
            run: () => ic.deletePermissionsBoundary(arn),
          }
        : {
            kind: 'ps.put-boundary',
            target: 'boundary',
            payload: boundary,
            undo: { restore: from.permissionsBoundary },
            run: () => ic.putPermissionsBoundary(arn, boundary),
          },
    );
  }
  let ok = true;
  for (const c of calls) {
    const spec = {
      stepId: `${c.kind}:${name}:${c.target}`,
      kind: c.kind,
      target: `${name} ${c.target}`,
      payload: c.payload ?? { permissionSetArn: arn, policy: c.target },
      undo: c.undo,
    };
    const r = await runStep(ctx, spec, item, () => c.run());
    ok &&= r.ok;
  }
  return ok;
}

/** Creates a permission set with its tag and policies. */
export async function createPermissionSet(ctx: ExecContext, ps: DesiredPermissionSet): Promise<void> {
  const item = `permission set ${ps.name}`;
  const created = await runStep(
    ctx,
    {
      stepId: `ps.create:${ps.name}`,
      kind: 'ps.create',
      target: ps.name,
      payload: { name: ps.name, sessionDuration: ps.sessionDuration, description: ps.description },
      undo: { deletePermissionSet: ps.name },
    },
    item,
    () =>
      ctx.ports.identityCenter.createPermissionSet({
        name: ps.name,
        description: ps.description,
        sessionDuration: ps.sessionDuration,
        tags: { [MANAGED_TAG.key]: MANAGED_TAG.value },
      }),
  );
  if (!created.ok) return;
  ctx.live.permissionSetArns.set(ps.name, created.value);
  const empty = { managedPolicies: [], customerManagedPolicies: [], inlinePolicy: null, permissionsBoundary: null };
  if (await syncPolicies(ctx, ps.name, created.value, empty, ps)) ctx.report.created.push(item);
}

/** Brings a live permission set to the desired settings and policies. */
export async function updatePermissionSet(
  ctx: ExecContext,
  u: Update<DesiredPermissionSet, LivePermissionSet>,
): Promise<void> {
  const item = `permission set ${u.desired.name}`;
  let ok = true;
  if (u.desired.sessionDuration !== u.live.sessionDuration || u.desired.description !== u.live.description) {
    const r = await runStep(
      ctx,
      {
        stepId: `ps.update:${u.desired.name}`,
        kind: 'ps.update',
        target: u.desired.name,
        payload: { sessionDuration: u.desired.sessionDuration, description: u.desired.description },
        undo: { sessionDuration: u.live.sessionDuration, description: u.live.description },
      },
      item,
      () =>
        ctx.ports.identityCenter.updatePermissionSet(u.live.arn, {
          description: u.desired.description,
          sessionDuration: u.desired.sessionDuration,
        }),
    );
    ok = r.ok;
  }
  ok = (await syncPolicies(ctx, u.desired.name, u.live.arn, u.live, u.desired)) && ok;
  if (ok) ctx.report.updated.push(`${item} (${u.changes.join(', ')})`);
}

/** Deletes a permission set the product created and the plan no longer has. */
export async function deletePermissionSet(ctx: ExecContext, ps: LivePermissionSet): Promise<void> {
  const item = `permission set ${ps.name}`;
  const r = await runStep(
    ctx,
    {
      stepId: `ps.delete:${ps.name}`,
      kind: 'ps.delete',
      target: ps.name,
      payload: { permissionSetArn: ps.arn },
      undo: {
        recreate: {
          name: ps.name,
          sessionDuration: ps.sessionDuration,
          managedPolicies: ps.managedPolicies,
          customerManagedPolicies: ps.customerManagedPolicies,
          inlinePolicy: ps.inlinePolicy,
          permissionsBoundary: ps.permissionsBoundary,
        },
      },
    },
    item,
    () => ctx.ports.identityCenter.deletePermissionSet(ps.arn),
  );
  if (r.ok) ctx.report.deleted.push(item);
}
