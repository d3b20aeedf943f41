/**
 * The performer of apply's (and rollback's) changes over the Identity Center, Identity Store and Entra ports: names
 * resolved to ids from the live read (and from the creates of this run), Identity Center's limits (15 outstanding
 * asynchronous requests, 3 provisionings, one role update per account, one provisioning per permission set), and
 * asynchronous requests polled to their end.
 */
import type { Change } from '../core/reconcile/changes.js';
import { isOwnedIamChange } from '../core/reconcile/changes-breakglass.js';
import { isEntraSetupChange } from '../core/reconcile/changes-entra.js';
import { isHardenChange } from '../core/reconcile/changes-harden.js';
import type { Performer, Resolved } from '../reconcile/executor.js';
import { KeyedMutex, sleep as realSleep, Semaphore } from '../reconcile/limits.js';
import { managedDescription } from './managed.js';
import { type ApplyPorts, type AssignmentRef, type AsyncKind, MANAGED_TAG } from './ports.js';
import type { LiveContext } from './read-live.js';
import type { GroupArrivals } from './scim-arrivals.js';

const lower = (s: string) => s.toLowerCase();

/** Identity Center's documented quotas, enforced on our side. */
export type ApplyLimits = { async: Semaphore; provision: Semaphore; accounts: KeyedMutex; permissionSets: KeyedMutex };

/** Identity Center's quotas: 15 outstanding asynchronous requests, 3 concurrent provisionings. */
export function identityCenterLimits(): ApplyLimits {
  return {
    async: new Semaphore(15),
    provision: new Semaphore(3),
    accounts: new KeyedMutex(),
    permissionSets: new KeyedMutex(),
  };
}

function need(map: Map<string, string>, key: string, what: string): string {
  const v = map.get(key);
  if (!v) throw new Error(`${what} does not exist`);
  return v;
}

/** What the performer needs besides the ports. */
export type PerformOptions = {
  concurrency: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Waits for groups Entra's provisioning brings into the Identity Store (identity source `scim`). */
  arrivals?: GroupArrivals;
};

/** The performer over apply's ports and live context (the context's id maps are updated as creates succeed). */
export function applyPerformer(ports: ApplyPorts, live: LiveContext, options: PerformOptions): Performer {
  const limits = identityCenterLimits();
  const ic = ports.identityCenter;
  const sleep = options.sleep ?? realSleep;
  // The first status read waits about as long as requests have been taking, so that under the shared rate limit
  // most requests cost one create and one read; it grows when a read finds the request still in progress.
  let firstWait = options.pollMs ?? 100;
  const poll = async (kind: AsyncKind, requestId: string) => {
    let wait = firstWait;
    for (let reads = 1; ; reads++) {
      await sleep(wait);
      const s = await ic.asyncStatus(kind, requestId);
      if (s.status === 'SUCCEEDED') return;
      if (s.status === 'FAILED')
        throw new Error(`${kind} ${requestId} failed: ${s.failureReason ?? 'no reason given'}`);
      if (reads === 1) firstWait = Math.min(Math.round(firstWait * 1.25), 5000);
      wait = Math.min(wait * 2, 2000);
    }
  };
  const membership = (group: string, upn: string) =>
    live.state.store.groups
      .find((g) => lower(g.name) === lower(group))
      ?.members.find((m) => lower(m.upn) === lower(upn))?.membershipId;

  const resolveOrThrow = (c: Change): Resolved => {
    if (isOwnedIamChange(c))
      throw new Error('an IAM, SNS or EventBridge change: `breakglass` and `replace` make and undo it');
    const arn = (name: string) => need(live.permissionSetArns, name, `permission set ${name}`);
    const storeGroup = (g: string) => need(live.storeGroupIds, lower(g), `Identity Store group ${g}`);
    const entraGroup = (g: string) => need(live.entraGroupIds, lower(g), `Entra group ${g}`);
    const entraUser = (upn: string) => {
      const u = live.entraUsers.get(lower(upn));
      if (!u) throw new Error(`no Entra user ${upn}`);
      return u.id;
    };
    if (isEntraSetupChange(c)) throw new Error(`${c.kind} is made by \`iam2sso entra setup\``);
    switch (c.kind) {
      case 'ps.create':
      case 'entra.group.create':
      case 'store.group.create':
        return {};
      case 'store.user.create':
        return { entraUserId: entraUser(c.upn) };
      case 'store.user.delete':
        return { userId: need(live.storeUserIds, lower(c.upn), `Identity Store user ${c.upn}`) };
      case 'assignment.create':
      case 'assignment.delete':
        return { accountId: c.accountId, permissionSetArn: arn(c.permissionSet), principalId: storeGroup(c.group) };
      case 'entra.group.delete':
        return { groupId: entraGroup(c.name) };
      case 'entra.member.add':
      case 'entra.member.remove':
        return { groupId: entraGroup(c.group), userId: entraUser(c.upn) };
      case 'entra.app.assign':
      case 'entra.app.unassign':
        if (!live.app) throw new Error('the Identity Center enterprise app is not set up in Entra');
        return { groupId: entraGroup(c.group), servicePrincipalId: live.app.servicePrincipalId };
      case 'store.group.delete':
        return { groupId: storeGroup(c.name) };
      case 'store.member.add':
        return {
          groupId: storeGroup(c.group),
          userId: need(live.storeUserIds, lower(c.upn), `Identity Store user ${c.upn}`),
        };
      case 'store.user.update':
      case 'store.group.update':
        throw new Error('updating Identity Store users and groups is left to `iam2sso sync`');
      case 'store.member.remove': {
        const membershipId = membership(c.group, c.upn);
        if (!membershipId) throw new Error(`${c.upn} is not a member of Identity Store group ${c.group}`);
        return { membershipId };
      }
      case 'object.adopt':
      case 'object.release':
        return c.objectId ? { objectId: c.objectId } : {};
      case 'scim.group.await':
        if (!options.arrivals) throw new Error('waiting for Entra provisioning is not set up in this run');
        return { entraGroupId: entraGroup(c.group) };
      default:
        if (!('name' in c)) throw new Error(`${c.kind} is not a change apply makes`);
        if (isHardenChange(c)) throw new Error(`${c.kind} is made by entra harden, not by apply`);
        return { permissionSetArn: arn(c.name), ...(c.kind === 'ps.provision' ? { accountId: c.accountId } : {}) };
    }
  };

  const assignment = (ids: Resolved): AssignmentRef => ({
    accountId: ids.accountId,
    permissionSetArn: ids.permissionSetArn,
    principalType: 'GROUP',
    principalId: ids.principalId,
  });

  const perform: Performer['perform'] = async (c, ids, submitted) => {
    const a = ids.permissionSetArn;
    switch (c.kind) {
      case 'ps.create': {
        const arn = await ic.createPermissionSet({
          name: c.name,
          description: c.description,
          sessionDuration: c.sessionDuration,
          relayState: c.relayState ?? null,
          tags: { [MANAGED_TAG.key]: MANAGED_TAG.value },
        });
        live.permissionSetArns.set(c.name, arn);
        return { objectId: arn };
      }
      case 'ps.update':
        return void (await ic.updatePermissionSet(a, c.to));
      case 'ps.delete':
        await ic.deletePermissionSet(a);
        live.permissionSetArns.delete(c.name);
        return;
      case 'ps.attach-managed':
        return void (await ic.attachManagedPolicy(a, c.policyArn));
      case 'ps.detach-managed':
        return void (await ic.detachManagedPolicy(a, c.policyArn));
      case 'ps.attach-customer-managed':
        return void (await ic.attachCustomerManagedPolicy(a, c.policy));
      case 'ps.detach-customer-managed':
        return void (await ic.detachCustomerManagedPolicy(a, c.policy));
      case 'ps.put-inline':
        return void (await ic.putInlinePolicy(a, c.document));
      case 'ps.delete-inline':
        return void (await ic.deleteInlinePolicy(a));
      case 'ps.put-boundary':
        return void (await ic.putPermissionsBoundary(a, c.boundary));
      case 'ps.delete-boundary':
        return void (await ic.deletePermissionsBoundary(a));
      case 'ps.provision': {
        const requestId = await ic.provision(a, ids.accountId);
        submitted(requestId);
        await poll('provision', requestId);
        return { requestId };
      }
      case 'assignment.create':
      case 'assignment.delete': {
        const create = c.kind === 'assignment.create';
        const requestId = create
          ? await ic.createAssignment(assignment(ids))
          : await ic.deleteAssignment(assignment(ids));
        if (!requestId) return { requestId: null };
        submitted(requestId);
        await poll(create ? 'create-assignment' : 'delete-assignment', requestId);
        return { requestId };
      }
      case 'entra.group.create': {
        const id = await ports.entra.createGroup(c.name, managedDescription(c.name));
        live.entraGroupIds.set(lower(c.name), id);
        return { objectId: id };
      }
      case 'entra.group.delete':
        await ports.entra.deleteGroup(ids.groupId);
        live.entraGroupIds.delete(lower(c.name));
        return;
      case 'entra.member.add':
        return void (await ports.entra.addGroupMember(ids.groupId, ids.userId));
      case 'entra.member.remove':
        return void (await ports.entra.removeGroupMember(ids.groupId, ids.userId));
      case 'entra.app.assign':
        return void (await ports.entra.assignGroupToApp(live.app!, ids.groupId));
      case 'entra.app.unassign':
        return void (await ports.entra.unassignGroupFromApp(live.app!, ids.groupId));
      case 'store.group.create': {
        const entraId = live.entraGroupIds.get(lower(c.name)) ?? 'unknown';
        const id = await ports.identityStore.createGroup(c.name, `${managedDescription(c.name)} entra:${entraId}`);
        live.storeGroupIds.set(lower(c.name), id);
        return { objectId: id };
      }
      case 'store.group.delete':
        await ports.identityStore.deleteGroup(ids.groupId);
        live.storeGroupIds.delete(lower(c.name));
        return;
      case 'store.user.create': {
        const user = live.entraUsers.get(lower(c.upn))!;
        const attributes = {
          userName: user.userPrincipalName,
          displayName: user.displayName,
          givenName: user.givenName ?? user.displayName.split(' ')[0] ?? c.upn,
          familyName: user.surname ?? (user.displayName.split(' ').slice(1).join(' ') || c.upn),
          email: user.mail,
        };
        // A user already there (e.g. provisioned from Entra) is used for memberships, not owned.
        const out = await ports.identityStore.createUser(attributes).then(
          (id) => ({ id, existing: false }),
          async (error) => {
            const id = (error as Error).name === 'NotManaged' ? await ports.identityStore.findUserId(c.upn) : null;
            if (!id) throw error;
            return { id, existing: true };
          },
        );
        live.storeUserIds.set(lower(c.upn), out.id);
        return { objectId: out.id, existing: out.existing };
      }
      case 'store.user.delete':
        throw new Error('deleting an Identity Store user is left to `iam2sso sync`');
      case 'store.member.add':
        return void (await ports.identityStore.addMembership(ids.groupId, ids.userId));
      case 'store.member.remove':
        return void (await ports.identityStore.removeMembership(ids.membershipId));
      // Adopting calls no cloud: the executor records the ownership (or lets it go) around this step.
      case 'object.adopt':
        return { objectId: c.objectId };
      case 'object.release':
        return;
      case 'scim.group.await': {
        const id = await options.arrivals!.waitFor(c.group, ids.entraGroupId);
        live.storeGroupIds.set(lower(c.group), id);
        return { objectId: id };
      }
    }
  };

  return {
    resolve(c) {
      try {
        return resolveOrThrow(c);
      } catch (error) {
        return (error as Error).message;
      }
    },
    perform,
    limit(c, fn) {
      if (c.kind === 'assignment.create' || c.kind === 'assignment.delete')
        return limits.accounts.run(c.accountId, () => limits.async.run(fn));
      if (c.kind === 'ps.provision')
        return limits.accounts.run(c.accountId, () =>
          limits.permissionSets.run(c.name, () => limits.provision.run(() => limits.async.run(fn))),
        );
      return fn();
    },
    // A wait lasts as long as --wait says, and a little more for its last read and the advice.
    timeoutMs: (c) =>
      c.kind === 'scim.group.await' && options.arrivals ? options.arrivals.waitMs + 120_000 : undefined,
    lane: (c) =>
      c.kind === 'assignment.create' || c.kind === 'assignment.delete' || c.kind === 'ps.provision' ? c.accountId : '',
    concurrency(c) {
      // Every group waits at once: the watcher reads the Identity Store once for all of them.
      if (c.kind === 'scim.group.await') return 1000;
      return c.kind === 'assignment.create' || c.kind === 'assignment.delete' || c.kind === 'ps.provision'
        ? Math.max(options.concurrency, 32)
        : options.concurrency;
    },
  };
}
