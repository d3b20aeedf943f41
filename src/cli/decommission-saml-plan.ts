/**
 * The changes of a `decommission saml` stage for the roles its gates let through: `disable` switches off the Entra
 * app of each account all of whose planned roles may go (one app signs in to every role of its account); `delete`
 * reads each object live just before (the snapshot its undo recreates) and removes the roles, the providers none of
 * whose roles remain, the provisioning users of accounts left with no provider (decommission's own IAM user removals,
 * in DeleteUser's order) and the apps of accounts left with no role.
 */
import { toCloudError } from '../aws/errors.js';
import { readIamUser } from '../aws/iam-user-reads.js';
import { readSamlProvider, readSamlRole } from '../aws/saml-retire-iam.js';
import { deleteChanges } from '../core/decommission.js';
import type { Blocker, IamUserFacts } from '../core/decommission-types.js';
import {
  type DirectSamlApp,
  type DirectSamlFederation,
  isIdentityCenterProvider,
  roleOfArn,
} from '../core/direct-saml.js';
import type { PlannedSamlRole } from '../core/plan-types.js';
import type { Change } from '../core/reconcile/changes.js';
import { samlRetireScope } from '../core/saml-retire.js';
import type { GraphApi } from '../entra/graph-client.js';
import { applicationIdOf } from '../entra/saml-retire-apps.js';
import type { AccountIam } from '../verify/account-iam.js';

/** Where an (account, role) stands in this run. */
export type SamlOutcome = {
  accountId: string;
  role: string;
  result: 'done' | 'unchanged' | 'planned' | 'blocked' | 'failed';
  blockers: Blocker[];
};

/** What a stage will change, and what it snapshots first. */
export type SamlStagePlan = {
  changes: Change[];
  snapshots: { kind: 'role' | 'provider' | 'app'; key: string; snapshot: unknown }[];
  /** Provisioning users read whole before their removal (kept as decommission's user snapshots). */
  iamUsers: IamUserFacts[];
};

/** A plan with nothing in it. */
export function emptyPlan(): SamlStagePlan {
  return { changes: [], snapshots: [], iamUsers: [] };
}

/** The app of an account: the one whose app roles name the account's roles. */
export function appOf(apps: DirectSamlApp[], accountId: string): DirectSamlApp | undefined {
  return apps.find((a) => a.roles.some((r) => roleOfArn(r.roleArn)?.accountId === accountId));
}

/** The app switch-offs of `disable`; roles of an account that cannot go with the others are blocked. */
export function planDisable(apps: DirectSamlApp[], outcomes: SamlOutcome[], accounts: string[]): Change[] {
  const changes: Change[] = [];
  for (const accountId of accounts) {
    const mine = outcomes.filter((o) => o.accountId === accountId);
    const blocked = mine.filter((o) => o.result === 'blocked');
    const app = appOf(apps, accountId);
    for (const o of mine.filter((x) => x.result === 'planned')) {
      if (blocked.length > 0)
        o.blockers.push({
          id: 'account.in-use',
          message: `the account's app also signs in to ${blocked.map((b) => b.role).join(', ')}, which may not be retired yet`,
        });
      else if (!app)
        o.blockers.push({
          id: 'entra.app-unknown',
          message: 'the audit read no Entra app for this account: run `iam2sso audit` with Entra credentials',
        });
      if (o.blockers.length) o.result = 'blocked';
    }
    if (app && mine.some((o) => o.result === 'planned'))
      changes.push({
        kind: 'saml.retire.sp.disable',
        accountId,
        servicePrincipalId: app.servicePrincipalId,
        appId: app.appId,
        applicationId: '',
        displayName: app.displayName,
      });
  }
  return changes;
}

/** What `delete` reads and acts with. */
export type DeleteContext = {
  entries: PlannedSamlRole[];
  apps: DirectSamlApp[];
  federations: DirectSamlFederation[];
  accounts: string[];
  iam: AccountIam;
  graph: () => GraphApi;
};

/** The removals of `delete`, each object read live (its snapshot) first; an object already gone is skipped. */
export async function planDelete(ctx: DeleteContext, outcomes: SamlOutcome[]): Promise<SamlStagePlan> {
  const plan = emptyPlan();
  const retired = new Set(
    outcomes.filter((o) => o.result === 'planned' || o.result === 'unchanged').map((o) => `${o.accountId}/${o.role}`),
  );
  const scope = samlRetireScope(ctx.federations, ctx.entries, retired);
  const iamIn = async (accountId: string) => ctx.iam.iamFor(accountId);
  for (const o of outcomes.filter((x) => x.result === 'planned')) {
    const snapshot = await readSamlRole(await iamIn(o.accountId), o.role).catch((e) => {
      throw toCloudError(e, 'iam', o.accountId);
    });
    if (!snapshot) continue;
    plan.changes.push({ kind: 'saml.retire.role.delete', accountId: o.accountId, roleName: o.role, snapshot });
    plan.snapshots.push({ kind: 'role', key: `${o.accountId}/${o.role}`, snapshot });
  }
  // Only providers the plan names as direct SAML, never Identity Center's own.
  const planned = new Set(ctx.entries.map((e) => e.provider));
  for (const arn of scope.providers.filter((p) => !isIdentityCenterProvider(p) && planned.has(p))) {
    const accountId = arn.split(':')[4];
    const snapshot = await readSamlProvider(await iamIn(accountId), arn).catch((e) => {
      throw toCloudError(e, 'iam', accountId);
    });
    if (!snapshot) continue;
    const name = arn.slice(arn.indexOf('/') + 1);
    plan.changes.push({ kind: 'saml.retire.provider.delete', accountId, name, arn, snapshot });
    plan.snapshots.push({ kind: 'provider', key: arn, snapshot });
  }
  for (const key of scope.provisioningUsers) {
    const [accountId, userName] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    if (!ctx.accounts.includes(accountId)) continue;
    const facts = await readIamUser(await iamIn(accountId), accountId, userName).catch((e) => {
      throw toCloudError(e, 'iam', accountId);
    });
    if (!facts) continue;
    plan.iamUsers.push(facts);
    plan.changes.push(...deleteChanges(facts));
  }
  for (const accountId of scope.accountsDone.filter((a) => ctx.accounts.includes(a))) {
    const app = appOf(ctx.apps, accountId);
    const applicationId = app ? await applicationIdOf(ctx.graph(), app.appId) : null;
    if (!app || !applicationId) continue;
    const ref = { servicePrincipalId: app.servicePrincipalId, appId: app.appId, displayName: app.displayName };
    plan.changes.push({ kind: 'saml.retire.app.delete', accountId, applicationId, ...ref });
    plan.snapshots.push({ kind: 'app', key: applicationId, snapshot: { ...app, applicationId } });
  }
  return plan;
}
