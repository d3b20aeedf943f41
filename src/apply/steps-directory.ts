/**
 * Directory steps. Entra: the planned security groups (marked as the product's), their members, their assignment
 * to the Identity Center enterprise app. Identity Store: `mirrorGroupsToIdentityStore`, the same mirror
 * `iam2sso sync` makes (group by display name, user by UPN as userName, memberships), so that account
 * assignments have a principal before Entra's provisioning cycle runs.
 */

import { mapLimit } from '../aws/fan-out.js';
import type { ApplyDiff } from '../core/reconcile/apply-diff.js';
import type { DesiredGroup } from '../core/reconcile/desired.js';
import type { GroupChange, LiveGroup } from '../core/reconcile/diff.js';
import { type ExecContext, runStep } from './context.js';
import { MANAGED_MARKER } from './ports.js';

const lower = (s: string) => s.toLowerCase();

/** The description of a group the product creates. */
export function managedDescription(name: string): string {
  return `AWS access through IAM Identity Center (${name}) ${MANAGED_MARKER}`;
}

async function setMember(
  ctx: ExecContext,
  group: string,
  groupId: string,
  upn: string,
  add: boolean,
): Promise<boolean> {
  const user = ctx.live.entraUsers.get(upn);
  const item = `Entra group ${group} member ${upn}`;
  if (!user) {
    ctx.report.skipped.push({ item, reason: 'no Entra user with this user principal name' });
    return false;
  }
  const kind = add ? 'entra.add-member' : 'entra.remove-member';
  const r = await runStep(
    ctx,
    {
      stepId: `${kind}:${group}:${upn}`,
      kind,
      target: `${group} ${upn}`,
      payload: { groupId, userId: user.id },
      undo: add ? { removeMember: user.id } : { addMember: user.id },
    },
    item,
    () =>
      add ? ctx.ports.entra.addGroupMember(groupId, user.id) : ctx.ports.entra.removeGroupMember(groupId, user.id),
  );
  return r.ok;
}

/** Creates the planned Entra groups that are missing, with their members. */
async function createEntraGroup(ctx: ExecContext, g: DesiredGroup): Promise<void> {
  const item = `Entra group ${g.name}`;
  const r = await runStep(
    ctx,
    {
      stepId: `entra.create-group:${g.name}`,
      kind: 'entra.create-group',
      target: g.name,
      undo: { deleteGroup: g.name },
    },
    item,
    () => ctx.ports.entra.createGroup(g.name, managedDescription(g.name)),
  );
  if (!r.ok) return;
  ctx.live.entraGroupIds.set(lower(g.name), r.value);
  let ok = true;
  for (const upn of g.members) ok = (await setMember(ctx, g.name, r.value, upn, true)) && ok;
  if (ok) ctx.report.created.push(`${item} (${g.members.length} members)`);
}

async function updateEntraGroup(ctx: ExecContext, u: GroupChange): Promise<void> {
  let ok = true;
  for (const upn of u.add) ok = (await setMember(ctx, u.desired.name, u.live.id, upn, true)) && ok;
  for (const upn of u.remove) ok = (await setMember(ctx, u.desired.name, u.live.id, upn, false)) && ok;
  const parts = [...u.add.map((m) => `+${m}`), ...u.remove.map((m) => `-${m}`)];
  if (ok) ctx.report.updated.push(`Entra group ${u.desired.name} (${parts.join(', ')})`);
}

async function assignToApp(ctx: ExecContext, group: string): Promise<void> {
  const app = ctx.live.app;
  const groupId = ctx.live.entraGroupIds.get(lower(group));
  const item = `Entra app assignment ${group}`;
  if (!app || !groupId) {
    ctx.report.skipped.push({ item, reason: groupId ? 'no enterprise app' : 'the Entra group was not created' });
    return;
  }
  const r = await runStep(
    ctx,
    {
      stepId: `entra.assign-app:${group}`,
      kind: 'entra.assign-app',
      target: group,
      payload: { servicePrincipalId: app.servicePrincipalId, groupId, appRoleId: app.appRoleId },
      undo: { unassign: groupId },
    },
    item,
    () => ctx.ports.entra.assignGroupToApp(app, groupId),
  );
  if (r.ok) ctx.report.created.push(item);
}

/** The Entra side: groups, members, app assignments. */
export async function applyEntra(ctx: ExecContext, diff: ApplyDiff): Promise<void> {
  await mapLimit(diff.groups.create, ctx.concurrency, (g) => createEntraGroup(ctx, g));
  await mapLimit(diff.groups.update, ctx.concurrency, (u) => updateEntraGroup(ctx, u));
  await mapLimit(diff.appAssignments, ctx.concurrency, (g) => assignToApp(ctx, g));
}

/**
 * Mirrors the planned groups into the Identity Store: groups (display name = Entra name; the Entra object id is
 * kept in the description, as the Identity Store API cannot set ExternalId), users (userName = UPN, as Entra's
 * provisioning names them) and memberships.
 */
export async function mirrorGroupsToIdentityStore(ctx: ExecContext, diff: ApplyDiff): Promise<void> {
  const store = ctx.ports.identityStore;
  await mapLimit(diff.store.createGroups, ctx.concurrency, async (name) => {
    const entraId = ctx.live.entraGroupIds.get(lower(name)) ?? 'unknown';
    const item = `Identity Store group ${name}`;
    const r = await runStep(
      ctx,
      {
        stepId: `store.create-group:${name}`,
        kind: 'store.create-group',
        target: name,
        payload: { entraId },
        undo: { deleteGroup: name },
      },
      item,
      () => store.createGroup(name, `${managedDescription(name)} entra:${entraId}`),
    );
    if (r.ok) {
      ctx.live.storeGroupIds.set(lower(name), r.value);
      ctx.report.created.push(item);
    }
  });
  await mapLimit(diff.store.createUsers, ctx.concurrency, async (upn) => {
    const user = ctx.live.entraUsers.get(upn);
    const item = `Identity Store user ${upn}`;
    if (!user) return;
    const r = await runStep(
      ctx,
      {
        stepId: `store.create-user:${upn}`,
        kind: 'store.create-user',
        target: upn,
        payload: { entraId: user.id },
        undo: { deleteUser: upn },
      },
      item,
      () =>
        store.createUser({
          userName: user.userPrincipalName,
          displayName: user.displayName,
          givenName: user.givenName ?? user.displayName.split(' ')[0] ?? upn,
          familyName: user.surname ?? user.displayName.split(' ').slice(1).join(' ') ?? upn,
          email: user.mail,
        }),
    );
    if (r.ok) {
      ctx.live.storeUserIds.set(upn, r.value);
      ctx.report.created.push(item);
    }
  });
  await mapLimit(diff.store.addMembers, ctx.concurrency, async ({ group, upn }) => {
    const groupId = ctx.live.storeGroupIds.get(lower(group));
    const userId = ctx.live.storeUserIds.get(upn);
    const item = `Identity Store group ${group} member ${upn}`;
    if (!groupId || !userId) {
      ctx.report.skipped.push({
        item,
        reason: groupId ? 'the user is not in the Identity Store' : 'the group is not in the Identity Store',
      });
      return;
    }
    const r = await runStep(
      ctx,
      {
        stepId: `store.add-member:${group}:${upn}`,
        kind: 'store.add-member',
        target: `${group} ${upn}`,
        payload: { groupId, userId },
        undo: { removeMember: { groupId, userId } },
      },
      item,
      () => store.addMembership(groupId, userId),
    );
    if (r.ok) ctx.report.created.push(item);
  });
  await mapLimit(diff.store.removeMembers, ctx.concurrency, async (m) => {
    const item = `Identity Store group ${m.group} member ${m.upn}`;
    const r = await runStep(
      ctx,
      {
        stepId: `store.remove-member:${m.group}:${m.upn}`,
        kind: 'store.remove-member',
        target: `${m.group} ${m.upn}`,
        payload: { membershipId: m.membershipId },
        undo: { addMember: m },
      },
      item,
      () => store.removeMembership(m.membershipId),
    );
    if (r.ok) ctx.report.deleted.push(item);
  });
}

/** Deletes groups the product created that the plan no longer has (Identity Store first, then Entra). */
export async function deleteGroups(ctx: ExecContext, diff: ApplyDiff): Promise<void> {
  await mapLimit(diff.store.deleteGroups, ctx.concurrency, async (g) => {
    const item = `Identity Store group ${g.name}`;
    const r = await runStep(
      ctx,
      {
        stepId: `store.delete-group:${g.name}`,
        kind: 'store.delete-group',
        target: g.name,
        payload: { groupId: g.id },
        undo: { recreate: g.name, members: g.members.map((m) => m.upn) },
      },
      item,
      () => ctx.ports.identityStore.deleteGroup(g.id),
    );
    if (r.ok) ctx.report.deleted.push(item);
  });
  await mapLimit(diff.groups.delete, ctx.concurrency, async (g: LiveGroup) => {
    const item = `Entra group ${g.name}`;
    const r = await runStep(
      ctx,
      {
        stepId: `entra.delete-group:${g.name}`,
        kind: 'entra.delete-group',
        target: g.name,
        payload: { groupId: g.id },
        undo: { restoreDeletedGroup: g.id, members: g.members },
      },
      item,
      () => ctx.ports.entra.deleteGroup(g.id),
    );
    if (r.ok) ctx.report.deleted.push(item);
  });
}
