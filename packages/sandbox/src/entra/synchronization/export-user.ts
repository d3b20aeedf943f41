/**
 * Exports one Entra user to the SCIM target the way Entra's provisioning service does: match on the mapping
 * with matching priority 1 (userPrincipalName to userName), create when missing, patch only the attributes
 * that differ, and deactivate (active false) through the soft-delete expression.
 */
import type { EntraUser } from '../../world/entra-state.js';
import { USER_OBJECT } from './aws-template.js';
import { checked, type ExportContext, escrow, log } from './export-context.js';
import { applyMappings, buildScimBody, type MappedValue, readScimPath, userAttributes } from './mapping.js';
import { eqFilter, scimCall } from './scim-client.js';
import type { ProvisioningLogEntry } from './sync-state.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** The object mapping for a source object type in the job's schema. */
export function objectMapping(ctx: ExportContext, sourceObjectName: string) {
  for (const rule of ctx.job.schema.synchronizationRules)
    for (const m of rule.objectMappings) if (m.enabled && m.sourceObjectName === sourceObjectName) return m;
  return undefined;
}

function asText(value: MappedValue): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return value;
}

function same(a: MappedValue, b: MappedValue): boolean {
  return (asText(a) ?? '').toLowerCase() === (asText(b) ?? '').toLowerCase() && (a === null) === (b === null);
}

/** Finds the user's target resource: the one exported before, else a match on the matching attribute. */
function findTarget(ctx: ExportContext, user: EntraUser, desired: Map<string, MappedValue>, matchPath: string) {
  const known = ctx.job.exported.get(user.id);
  if (known) {
    const got = checked(
      ctx,
      scimCall(ctx.world, ctx.connection, 'GET', `/Users/${encodeURIComponent(known.targetId)}`),
    );
    if (got.status === 200) return got.body;
    ctx.job.exported.delete(user.id);
  }
  const value = desired.get(matchPath);
  if (typeof value !== 'string') return undefined;
  const found = checked(ctx, scimCall(ctx.world, ctx.connection, 'GET', `/Users${eqFilter(matchPath, value)}`));
  return (found.body.Resources as Record<string, unknown>[] | undefined)?.[0];
}

/** Exports a user; returns the log entry, or null when nothing needed to change. */
export function exportUser(ctx: ExportContext, user: EntraUser, softDeleted: boolean): ProvisioningLogEntry | null {
  const mapping = objectMapping(ctx, USER_OBJECT);
  if (!mapping) return null;
  const desired = applyMappings(mapping.attributeMappings, userAttributes(user, softDeleted));
  const matchPath = mapping.attributeMappings.find((m) => m.matchingPriority === 1)?.targetAttributeName ?? 'userName';
  const source = { type: 'User' as const, id: user.id, displayName: user.userPrincipalName };
  const target = findTarget(ctx, user, desired, matchPath);
  if (!target) {
    if (softDeleted)
      return skip(
        ctx,
        user,
        'RedundantSoftDelete',
        'The user is soft deleted or disabled and does not exist in the target system.',
      );
    ctx.counts.exports++;
    const created = checked(
      ctx,
      scimCall(ctx.world, ctx.connection, 'POST', '/Users', buildScimBody(desired, [CORE_USER])),
    );
    if (created.status !== 201) return escrow(ctx, source, 'Create', created);
    ctx.counts.exported++;
    ctx.job.escrows.delete(user.id);
    const targetId = String(created.body.id);
    ctx.job.exported.set(user.id, { sourceType: 'User', targetId, displayName: user.userPrincipalName });
    return log(ctx, {
      action: 'Create',
      status: 'success',
      sourceType: 'User',
      sourceId: user.id,
      sourceDisplayName: user.userPrincipalName,
      targetId,
      errorCode: null,
      reason: null,
      modifiedProperties: [...desired].map(([k, v]) => ({ displayName: k, oldValue: null, newValue: asText(v) })),
    });
  }
  const targetId = String(target.id);
  ctx.job.exported.set(user.id, { sourceType: 'User', targetId, displayName: user.userPrincipalName });
  const changes = [...desired]
    .map(([path, value]) => ({ path, value, old: readScimPath(target, path) }))
    .filter((c) => !same(c.old, c.value));
  if (changes.length === 0) {
    ctx.job.escrows.delete(user.id);
    return null;
  }
  ctx.counts.exports++;
  const patch = {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: changes.map((c) =>
      c.value === null ? { op: 'Remove', path: c.path } : { op: 'Replace', path: c.path, value: asText(c.value) },
    ),
  };
  const action =
    changes.length === 1 && changes[0].path === 'active' && changes[0].value === false ? 'Disable' : 'Update';
  const patched = checked(
    ctx,
    scimCall(ctx.world, ctx.connection, 'PATCH', `/Users/${encodeURIComponent(targetId)}`, patch),
  );
  if (patched.status !== 204 && patched.status !== 200) return escrow(ctx, source, action, patched);
  ctx.counts.exported++;
  ctx.job.escrows.delete(user.id);
  return log(ctx, {
    action,
    status: 'success',
    sourceType: 'User',
    sourceId: user.id,
    sourceDisplayName: user.userPrincipalName,
    targetId,
    errorCode: null,
    reason: null,
    modifiedProperties: changes.map((c) => ({
      displayName: c.path,
      oldValue: asText(c.old),
      newValue: asText(c.value),
    })),
  });
}

/** Logs a skip once per job (on demand: every time), as the provisioning logs show it. */
export function skip(ctx: ExportContext, user: EntraUser, code: string, reason: string): ProvisioningLogEntry | null {
  const key = `${user.id}:${code}`;
  if (!ctx.onDemand && ctx.job.loggedSkips.has(key)) return null;
  ctx.job.loggedSkips.add(key);
  return log(ctx, {
    action: 'Other',
    status: 'skipped',
    sourceType: 'User',
    sourceId: user.id,
    sourceDisplayName: user.userPrincipalName,
    targetId: ctx.job.exported.get(user.id)?.targetId ?? null,
    errorCode: code,
    reason,
    modifiedProperties: [],
  });
}

/** Deactivates a user the job exported who is no longer in scope (unassigned, deleted). */
export function deactivateExportedUser(ctx: ExportContext, sourceId: string): ProvisioningLogEntry | null {
  const known = ctx.job.exported.get(sourceId);
  if (!known) return null;
  const got = checked(ctx, scimCall(ctx.world, ctx.connection, 'GET', `/Users/${encodeURIComponent(known.targetId)}`));
  if (got.status === 404) {
    ctx.job.exported.delete(sourceId);
    return null;
  }
  if (got.body.active === false) return null;
  ctx.counts.exports++;
  const patch = { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
  const source = { type: 'User' as const, id: sourceId, displayName: known.displayName };
  const patched = checked(
    ctx,
    scimCall(ctx.world, ctx.connection, 'PATCH', `/Users/${encodeURIComponent(known.targetId)}`, patch),
  );
  if (patched.status !== 204 && patched.status !== 200) return escrow(ctx, source, 'Disable', patched);
  ctx.counts.exported++;
  return log(ctx, {
    action: 'Disable',
    status: 'success',
    sourceType: 'User',
    sourceId,
    sourceDisplayName: known.displayName,
    targetId: known.targetId,
    errorCode: null,
    reason: 'The user is no longer in scope (unassigned, deleted or out of the scoping filter).',
    modifiedProperties: [{ displayName: 'active', oldValue: 'True', newValue: 'False' }],
  });
}
