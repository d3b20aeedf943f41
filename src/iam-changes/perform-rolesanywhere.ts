/**
 * The performer's part for IAM Roles Anywhere changes: each acts in its account and region through the port. A
 * create reads first (Roles Anywhere does not refuse a second object of the same name, so the tool does): a name
 * already taken is refused. A delete acts on the id recorded when the tool made the object, never on a name alone,
 * unless the create's result was cut short (no id recorded) and exactly one object has that name.
 */
import type { RolesAnywhereChange } from '../core/reconcile/changes-rolesanywhere.js';
import { NotManagedError } from '../core/reconcile/not-managed.js';
import type { IamChangePorts } from './ports.js';
import type { RolesAnywherePort } from './rolesanywhere-port.js';

/** The id of a Roles Anywhere object from its ARN (`...:trust-anchor/ID`, `...:profile/ID`). */
export function idOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

async function removeOwned(
  what: string,
  name: string,
  recordedArn: string | undefined,
  list: () => Promise<{ id: string; name: string }[]>,
  remove: (id: string) => Promise<void>,
): Promise<void> {
  if (recordedArn) return remove(idOfArn(recordedArn));
  const named = (await list()).filter((o) => o.name === name);
  if (named.length === 0) return;
  if (named.length > 1)
    throw new Error(
      `${named.length} Roles Anywhere ${what}s are named ${name} and the id of iam2sso's was not recorded: delete it by hand`,
    );
  return remove(named[0].id);
}

/** Makes one Roles Anywhere change; `ids.objectId` is the ARN recorded when the tool made the object. */
export async function performRolesAnywhere(
  ports: IamChangePorts,
  c: RolesAnywhereChange,
  ids: Record<string, string>,
): Promise<{ objectId: string } | undefined> {
  const ra: RolesAnywherePort = await ports.rolesAnywhere(c.accountId, c.region);
  switch (c.kind) {
    case 'rolesanywhere.trust-anchor.create': {
      if ((await ra.listTrustAnchors()).some((a) => a.name === c.name))
        throw new NotManagedError(`IAM Roles Anywhere trust anchor ${c.name}`, 'a trust anchor of another name');
      const made = await ra.createTrustAnchor(c);
      return { objectId: made.arn };
    }
    case 'rolesanywhere.profile.create': {
      if ((await ra.listProfiles()).some((p) => p.name === c.name))
        throw new NotManagedError(`IAM Roles Anywhere profile ${c.name}`, 'a profile of another name');
      const made = await ra.createProfile(c);
      return { objectId: made.arn };
    }
    case 'rolesanywhere.trust-anchor.delete':
      await removeOwned('trust anchor', c.name, ids.objectId, ra.listTrustAnchors, ra.deleteTrustAnchor);
      return;
    case 'rolesanywhere.profile.delete':
      await removeOwned('profile', c.name, ids.objectId, ra.listProfiles, ra.deleteProfile);
      return;
  }
}
