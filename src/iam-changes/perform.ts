/**
 * The performer of IAM, SNS and EventBridge changes for the one executor: each change acts in its account (and
 * region) through the ports. A console password is made here, handed to `onPassword` (which shows it once) and
 * never returned, so it never reaches the journal. Creates read first: a name the tool does not own is refused.
 */
import { randomInt } from 'node:crypto';
import type { Change, ObjectRef } from '../core/reconcile/changes.js';
import { isOwnedIamChange, oidcHost } from '../core/reconcile/changes-breakglass.js';
import { isRolesAnywhereChange, rolesAnywhereDeleted } from '../core/reconcile/changes-rolesanywhere.js';
import { NotManagedError } from '../core/reconcile/not-managed.js';
import type { Performer } from '../reconcile/executor.js';
import { performRolesAnywhere } from './perform-rolesanywhere.js';
import type { IamChangePorts } from './ports.js';

const ALPHABETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%^&*()-_=+[]{}'];

/** A console password of `length` characters with every class IAM's strictest password policy asks for. */
export function makePassword(length = 32): string {
  const all = ALPHABETS.join('');
  const chars = ALPHABETS.map((a) => a[randomInt(a.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** What the performer needs besides the ports. */
export type IamPerformOptions = {
  /** Shows a new console password once (to the terminal); it is never stored or logged. */
  onPassword(userName: string, password: string): void;
  /** The cloud id (ARN) recorded when the tool made an object (Roles Anywhere deletes act on it only). */
  ownedObjectId?(ref: ObjectRef): string | null;
};

/** The performer over the ports. */
export function iamPerformer(ports: IamChangePorts, options: IamPerformOptions): Performer {
  const perform: Performer['perform'] = async (c, ids) => {
    if (isRolesAnywhereChange(c)) return performRolesAnywhere(ports, c, ids);
    if (!isOwnedIamChange(c)) throw new Error(`${c.kind} is not an IAM, SNS or EventBridge change`);
    const { partition } = await ports.caller();
    if (c.kind.startsWith('sns.') || c.kind.startsWith('events.')) {
      const region = (c as { region: string }).region;
      const alarms = await ports.alarms(c.accountId, region);
      const topicArn = (name: string) => `arn:${partition}:sns:${region}:${c.accountId}:${name}`;
      switch (c.kind) {
        case 'sns.topic.create': {
          if (await alarms.topicAttributes(topicArn(c.name)))
            throw new NotManagedError(`SNS topic ${c.name}`, 'iam2sso breakglass create --topic ARN');
          return { objectId: await alarms.createTopic(c.name, c.policy, c.tags) };
        }
        case 'sns.topic.delete':
          return void (await alarms.deleteTopic(topicArn(c.name)));
        case 'events.rule.put': {
          if (await alarms.describeRule(c.name))
            throw new NotManagedError(`EventBridge rule ${c.name}`, 'a rule of another name');
          return { objectId: await alarms.putRule(c) };
        }
        case 'events.rule.delete':
          return void (await alarms.deleteRule(c.name));
        case 'events.target.put':
          return void (await alarms.putTarget(c.rule, c.targetId, c.arn));
        case 'events.target.remove':
          return void (await alarms.removeTarget(c.rule, c.targetId));
      }
    }
    const iam = await ports.iam(c.accountId);
    const providerArn = (url: string) => `arn:${partition}:iam::${c.accountId}:oidc-provider/${oidcHost(url)}`;
    switch (c.kind) {
      case 'iam.owned-user.create':
        return { objectId: await iam.createUser(c.userName, c.tags) };
      case 'iam.owned-user.delete':
        return void (await iam.deleteUser(c.userName));
      case 'iam.user.attach-policy':
        return void (await iam.attachUserPolicy(c.userName, c.policyArn));
      case 'iam.user.detach-policy':
        return void (await iam.detachUserPolicy(c.userName, c.policyArn));
      case 'iam.owned-login-profile.create': {
        const password = makePassword();
        await iam.createLoginProfile(c.userName, password, c.passwordResetRequired);
        options.onPassword(c.userName, password);
        return;
      }
      case 'iam.owned-login-profile.delete':
        return void (await iam.deleteLoginProfile(c.userName));
      case 'iam.role.create':
        return { objectId: await iam.createRole(c) };
      case 'iam.role.delete':
        return void (await iam.deleteRole(c.roleName));
      case 'iam.role.put-policy':
        return void (await iam.putRolePolicy(c.roleName, c.policyName, c.document));
      case 'iam.role.delete-policy':
        return void (await iam.deleteRolePolicy(c.roleName, c.policyName));
      case 'iam.oidc-provider.create':
        return {
          objectId: await iam.createOidcProvider(c.url, c.clientIds, c.thumbprints, { 'managed-by': 'iam2sso' }),
        };
      case 'iam.oidc-provider.delete':
        return void (await iam.deleteOidcProvider(providerArn(c.url)));
      case 'iam.instance-profile.create':
        return { objectId: await iam.createInstanceProfile(c.name, c.tags) };
      case 'iam.instance-profile.delete':
        return void (await iam.deleteInstanceProfile(c.name));
      case 'iam.instance-profile.add-role': {
        // A run resumed after the call but before its result was journaled finds the role already in it.
        const profile = await iam.getInstanceProfile(c.name);
        if (profile?.roles.includes(c.roleName)) return;
        return void (await iam.addRoleToInstanceProfile(c.name, c.roleName));
      }
      case 'iam.instance-profile.remove-role':
        return void (await iam.removeRoleFromInstanceProfile(c.name, c.roleName));
    }
  };
  return {
    resolve: (c: Change) => {
      if (isRolesAnywhereChange(c)) {
        const gone = rolesAnywhereDeleted(c);
        const objectId = gone ? options.ownedObjectId?.(gone) : null;
        return { accountId: c.accountId, region: c.region, ...(objectId ? { objectId } : {}) };
      }
      return isOwnedIamChange(c) ? { accountId: c.accountId } : `${c.kind} is not made by this command`;
    },
    perform,
    limit: (_c, fn) => fn(),
    // IAM is eventually consistent and rate-limited per account: one change at a time is enough for a handful.
    concurrency: () => 1,
  };
}
