/**
 * Exports one assigned Entra group: match on displayName, create it without members, patch displayName and
 * externalId, then add and remove members (users the job exported) in PATCH requests of at most 100 changes.
 * GetGroup returns no members, so the job keeps its own record of the members it set.
 */
import type { EntraGroup } from '../../world/entra-state.js';
import type { World } from '../../world/world.js';
import { GROUP_OBJECT } from './aws-template.js';
import { checked, type ExportContext, escrow, log } from './export-context.js';
import { objectMapping } from './export-user.js';
import { applyMappings, buildScimBody, groupAttributes, readScimPath } from './mapping.js';
import { eqFilter, scimCall } from './scim-client.js';
import { directUserMembers } from './scope.js';
import type { ProvisioningLogEntry } from './sync-state.js';

const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const CHUNK = 100;

function findTarget(ctx: ExportContext, group: EntraGroup, displayName: string) {
  const known = ctx.job.exported.get(group.id);
  if (known) {
    const got = checked(
      ctx,
      scimCall(ctx.world, ctx.connection, 'GET', `/Groups/${encodeURIComponent(known.targetId)}`),
    );
    if (got.status === 200) return { body: got.body, members: known.members ?? new Set<string>() };
    ctx.job.exported.delete(group.id);
  }
  const found = checked(
    ctx,
    scimCall(ctx.world, ctx.connection, 'GET', `/Groups${eqFilter('displayName', displayName)}`),
  );
  const body = (found.body.Resources as Record<string, unknown>[] | undefined)?.[0];
  return body ? { body, members: new Set<string>() } : undefined;
}

function desiredMembers(world: World, ctx: ExportContext, group: EntraGroup): Set<string> {
  const ids = new Set<string>();
  for (const u of directUserMembers(world, group)) {
    const exported = ctx.job.exported.get(u.id);
    if (exported) ids.add(exported.targetId);
  }
  return ids;
}

function patchMembers(ctx: ExportContext, targetId: string, op: 'Add' | 'Remove', ids: string[]) {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const value = ids.slice(i, i + CHUNK).map((v) => ({ value: v }));
    const body = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op, path: 'members', value }],
    };
    const reply = checked(
      ctx,
      scimCall(ctx.world, ctx.connection, 'PATCH', `/Groups/${encodeURIComponent(targetId)}`, body),
    );
    if (reply.status !== 204 && reply.status !== 200) return reply;
  }
  return undefined;
}

/** Exports a group and its direct members; returns the log entry, or null when nothing changed. */
export function exportGroup(ctx: ExportContext, group: EntraGroup): ProvisioningLogEntry | null {
  const mapping = objectMapping(ctx, GROUP_OBJECT);
  if (!mapping) return null;
  const desired = applyMappings(mapping.attributeMappings, groupAttributes(group));
  const source = { type: 'Group' as const, id: group.id, displayName: group.displayName };
  const found = findTarget(ctx, group, group.displayName);
  let targetId: string;
  let members: Set<string>;
  let action: 'Create' | 'Update' = 'Update';
  const modified: ProvisioningLogEntry['modifiedProperties'] = [];
  if (!found) {
    ctx.counts.exports++;
    const created = checked(
      ctx,
      scimCall(ctx.world, ctx.connection, 'POST', '/Groups', buildScimBody(desired, [CORE_GROUP])),
    );
    if (created.status !== 201) return escrow(ctx, source, 'Create', created);
    targetId = String(created.body.id);
    members = new Set();
    action = 'Create';
    for (const [k, v] of desired)
      modified.push({ displayName: k, oldValue: null, newValue: v === null ? null : String(v) });
  } else {
    targetId = String(found.body.id);
    members = found.members;
    const ops = [...desired]
      .filter(([path, value]) => (readScimPath(found.body, path) ?? null) !== (value ?? null))
      .map(([path, value]) => {
        modified.push({
          displayName: path,
          oldValue: readScimPath(found.body, path) as string | null,
          newValue: value as string | null,
        });
        return { op: 'Replace', path, value };
      });
    if (ops.length) {
      ctx.counts.exports++;
      const patched = checked(
        ctx,
        scimCall(ctx.world, ctx.connection, 'PATCH', `/Groups/${encodeURIComponent(targetId)}`, { Operations: ops }),
      );
      if (patched.status !== 204 && patched.status !== 200) return escrow(ctx, source, 'Update', patched);
    }
  }
  ctx.job.exported.set(group.id, { sourceType: 'Group', targetId, displayName: group.displayName, members });
  const wanted = desiredMembers(ctx.world, ctx, group);
  const adds = [...wanted].filter((id) => !members.has(id));
  const removes = [...members].filter((id) => !wanted.has(id));
  if (adds.length || removes.length) {
    ctx.counts.exports++;
    const failed = patchMembers(ctx, targetId, 'Add', adds) ?? patchMembers(ctx, targetId, 'Remove', removes);
    if (failed) return escrow(ctx, source, action, failed);
    for (const id of adds) members.add(id);
    for (const id of removes) members.delete(id);
    modified.push({ displayName: 'members', oldValue: null, newValue: `+${adds.length} -${removes.length}` });
  }
  if (!modified.length) {
    ctx.job.escrows.delete(group.id);
    return null;
  }
  ctx.counts.exported++;
  ctx.job.escrows.delete(group.id);
  return log(ctx, {
    action,
    status: 'success',
    sourceType: 'Group',
    sourceId: group.id,
    sourceDisplayName: group.displayName,
    targetId,
    errorCode: null,
    reason: null,
    modifiedProperties: modified,
  });
}

/** Deletes a group the job exported that is no longer assigned. */
export function deleteExportedGroup(ctx: ExportContext, sourceId: string): ProvisioningLogEntry | null {
  const known = ctx.job.exported.get(sourceId);
  if (!known) return null;
  ctx.counts.exports++;
  const reply = checked(
    ctx,
    scimCall(ctx.world, ctx.connection, 'DELETE', `/Groups/${encodeURIComponent(known.targetId)}`),
  );
  const source = { type: 'Group' as const, id: sourceId, displayName: known.displayName };
  if (reply.status !== 204 && reply.status !== 404) return escrow(ctx, source, 'Delete', reply);
  ctx.job.exported.delete(sourceId);
  ctx.counts.exported++;
  return log(ctx, {
    action: 'Delete',
    status: 'success',
    sourceType: 'Group',
    sourceId,
    sourceDisplayName: known.displayName,
    targetId: known.targetId,
    errorCode: null,
    reason: 'The group is no longer assigned to the application.',
    modifiedProperties: [],
  });
}
