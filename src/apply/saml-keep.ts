/**
 * Direct SAML federation for the accounts a plan keeps outside Identity Center, through the one executor: the live
 * read of each planned account (its Entra app by name, the app's federation metadata, app roles and group
 * assignments; the account's SAML provider and planned roles) and the performer of the `saml.keep.*` changes over
 * IAM of the account and Graph. ARNs are made in the caller's partition.
 */

import type { SamlKeepIamPort } from '../aws/iam-saml-keep.js';
import { samlTrustPolicy } from '../aws/iam-saml-keep.js';
import { parseSamlRoleValue, roleOfArn } from '../core/direct-saml.js';
import type { PlannedOutsideAccount } from '../core/plan-types.js';
import type { OriginOf } from '../core/reconcile/adopt.js';
import type { AdoptChange } from '../core/reconcile/adopt-changes.js';
import { isSamlKeepChange, type SamlKeepChange } from '../core/reconcile/changes-saml-keep.js';
import {
  AWS_SINGLE_ACCOUNT_TEMPLATE_ID,
  diffSamlKeepAccount,
  type SamlKeepLive,
  type SamlKeepSkip,
} from '../core/reconcile/saml-keep-diff.js';
import type { GraphApi } from '../entra/graph-client.js';
import { GraphCallError } from '../entra/graph-errors.js';
import {
  addAppRole,
  assignRole,
  groupIdByName,
  listRoleAssignments,
  readAppRoles,
  removeAppRole,
  unassignRole,
} from '../entra/graph-saml-keep.js';
import type { AppReader, AppWriter, EnterpriseApp } from '../entra/ports.js';
import { type Performer, routePerformer } from '../reconcile/executor.js';
import { MANAGED_TAG } from './ports.js';

/** AWS's SAML sign-in endpoint: the reply URL, and (with `#<account>`) the app's identifier. */
export const AWS_SIGN_IN = 'https://signin.aws.amazon.com/saml';

/** What the family reads and writes through. */
export type SamlKeepPorts = {
  iam(accountId: string): Promise<SamlKeepIamPort>;
  /** The caller's partition (`aws`, `aws-cn`, `aws-us-gov`). */
  partition(): Promise<string>;
  graph: GraphApi;
  apps: AppReader;
  appWriter: AppWriter;
};

const lower = (s: string) => s.toLowerCase();
const providerArn = (partition: string, accountId: string, name: string) =>
  `arn:${partition}:iam::${accountId}:saml-provider/${name}`;
const roleArn = (partition: string, accountId: string, name: string) =>
  `arn:${partition}:iam::${accountId}:role/${name}`;

/** True when the app signs in to AWS by SAML with an active signing certificate. */
export function isConfigured(app: EnterpriseApp): boolean {
  return (
    app.preferredSingleSignOnMode === 'saml' &&
    app.identifierUris.some((u) => u.startsWith(AWS_SIGN_IN)) &&
    app.redirectUris.includes(AWS_SIGN_IN) &&
    app.preferredTokenSigningKeyThumbprint !== null
  );
}

async function readApp(ports: SamlKeepPorts, entry: PlannedOutsideAccount): Promise<SamlKeepLive['app']> {
  const found = await ports.apps.findApps(entry.app, AWS_SINGLE_ACCOUNT_TEMPLATE_ID);
  if (found.length > 1) throw new Error(`${found.length} Entra apps are named '${entry.app}': rename all but one`);
  const app = found[0];
  if (!app) return null;
  const configured = isConfigured(app);
  const metadata = configured ? await ports.apps.federationMetadata(app.appId) : null;
  const appRoles = app.appRoles.flatMap((r) => {
    const pair = parseSamlRoleValue(r.value);
    const role = pair && roleOfArn(pair.roleArn);
    return pair && role
      ? [{ ...role, provider: pair.providerArn.slice(pair.providerArn.lastIndexOf('/') + 1), id: r.id }]
      : [];
  });
  const assignments = (await listRoleAssignments(ports.graph, app.servicePrincipalId))
    .filter((a) => a.principalType === 'Group')
    .flatMap((a) => {
      const role = appRoles.find((r) => r.id === a.appRoleId && r.accountId === entry.accountId);
      return role ? [{ roleName: role.roleName, group: a.principalDisplayName }] : [];
    });
  return { id: app.servicePrincipalId, configured, metadata, appRoles, assignments };
}

/**
 * Reads one planned account (its planned roles and `alsoRoles`, those the tool made there before); a failed read is
 * recorded as `unreadable` (nothing is changed there).
 */
export async function readSamlKeepLive(
  ports: SamlKeepPorts,
  entry: PlannedOutsideAccount,
  alsoRoles: string[] = [],
): Promise<SamlKeepLive> {
  const empty: SamlKeepLive = { accountId: entry.accountId, unreadable: null, app: null, provider: null, roles: [] };
  try {
    const partition = await ports.partition();
    const iam = await ports.iam(entry.accountId);
    const arn = providerArn(partition, entry.accountId, entry.provider);
    const [app, metadata, roles] = await Promise.all([
      readApp(ports, entry),
      iam.getProvider(arn),
      Promise.all(
        [...new Set([...entry.roles.map((r) => r.name), ...alsoRoles])].map(async (name) => ({
          name,
          found: await iam.getRole(name),
        })),
      ),
    ]);
    return {
      ...empty,
      app,
      provider: metadata === null ? null : { arn, metadata },
      roles: roles.flatMap((r) => (r.found ? [{ name: r.name, ...r.found }] : [])),
    };
  } catch (error) {
    return { ...empty, unreadable: `could not be read (${(error as Error).message}): nothing is changed there` };
  }
}

/**
 * The changes and refusals for every account the plan keeps outside Identity Center; `createdRoles` are the ARNs of
 * the roles the tool made (so that one the plan dropped is removed).
 */
export async function computeSamlKeepChanges(
  ports: SamlKeepPorts,
  entries: PlannedOutsideAccount[],
  origin: OriginOf,
  createdRoles: string[] = [],
): Promise<{ changes: (SamlKeepChange | AdoptChange)[]; skipped: SamlKeepSkip[] }> {
  const normalized = entries.map((e) => ({
    ...e,
    roles: e.roles.map((r) => ({ ...r, policies: r.policies ?? [], groups: r.groups ?? [] })),
  }));
  const made = (accountId: string) =>
    createdRoles.map(roleOfArn).flatMap((r) => (r && r.accountId === accountId ? [r.roleName] : []));
  const lives = await Promise.all(normalized.map((e) => readSamlKeepLive(ports, e, made(e.accountId))));
  const out = normalized.map((e, i) => diffSamlKeepAccount(e, lives[i], origin));
  return { changes: out.flatMap((o) => o.changes), skipped: out.flatMap((o) => o.skipped) };
}

/** The performer of `saml.keep.*` changes (one at a time per account: each builds on the one before). */
export function samlKeepPerformer(ports: SamlKeepPorts): Performer {
  const apps = new Map<string, EnterpriseApp>();
  const appOf = async (name: string): Promise<EnterpriseApp> => {
    const known = apps.get(lower(name));
    if (known) return known;
    const found = await ports.apps.findApps(name, AWS_SINGLE_ACCOUNT_TEMPLATE_ID);
    if (found.length !== 1) throw new Error(`Entra app '${name}' ${found.length ? 'is not unique' : 'does not exist'}`);
    apps.set(lower(name), found[0]);
    return found[0];
  };
  const appRoleIdOf = async (app: EnterpriseApp, value: string) => {
    const role = (await readAppRoles(ports.graph, app.servicePrincipalId)).find((r) => r.value === value);
    if (!role) throw new Error(`Entra app '${app.displayName}' has no app role ${value}`);
    return role.id;
  };
  const groupOf = async (name: string) => {
    const id = await groupIdByName(ports.graph, name);
    if (!id) throw new Error(`no single Entra group named ${name}`);
    return id;
  };
  const tags = { [MANAGED_TAG.key]: MANAGED_TAG.value };

  const perform = async (c: SamlKeepChange) => {
    const p = await ports.partition();
    const iam = () => ports.iam(c.accountId);
    switch (c.kind) {
      case 'saml.keep.app.create': {
        const app = await ports.appWriter.instantiate(c.templateId, c.app).catch((error) => {
          throw refused(error);
        });
        apps.set(lower(c.app), app);
        return { objectId: app.servicePrincipalId };
      }
      case 'saml.keep.app.configure':
        return void (await configure(ports, await appOf(c.app), c.accountId, (a) => apps.set(lower(c.app), a)));
      case 'saml.keep.app.delete': {
        const app = await appOf(c.app);
        await ports.appWriter.removeApp(app.servicePrincipalId, app.appObjectId);
        apps.delete(lower(c.app));
        return;
      }
      case 'saml.keep.provider.create': {
        const metadata = c.metadata ?? (await ports.apps.federationMetadata((await appOf(c.app)).appId));
        return { objectId: await (await iam()).createProvider(c.name, metadata, tags) };
      }
      case 'saml.keep.provider.update':
        return void (await (await iam()).updateProvider(providerArn(p, c.accountId, c.name), c.metadata));
      case 'saml.keep.provider.delete':
        return void (await (await iam()).deleteProvider(providerArn(p, c.accountId, c.name)));
      case 'saml.keep.role.create': {
        const trust = samlTrustPolicy(providerArn(p, c.accountId, c.provider));
        const description = `Direct SAML federation from Entra (provider ${c.provider}), managed by iam2sso`;
        return { objectId: await (await iam()).createRole(c.roleName, trust, description, tags) };
      }
      case 'saml.keep.role.delete':
        return void (await (await iam()).deleteRole(c.roleName));
      case 'saml.keep.role.attach':
        return void (await (await iam()).attachPolicy(c.roleName, c.policyArn));
      case 'saml.keep.role.detach':
        return void (await (await iam()).detachPolicy(c.roleName, c.policyArn));
      case 'saml.keep.app-role.add':
      case 'saml.keep.app-role.remove': {
        const app = await appOf(c.app);
        const value = `${roleArn(p, c.accountId, c.roleName)},${providerArn(p, c.accountId, c.provider)}`;
        if (c.kind === 'saml.keep.app-role.remove')
          return void (await removeAppRole(ports.graph, app.servicePrincipalId, value));
        const displayName = `${c.roleName},${c.provider}`;
        return { objectId: await addAppRole(ports.graph, app.servicePrincipalId, { displayName, value }) };
      }
      case 'saml.keep.assign':
      case 'saml.keep.unassign': {
        const app = await appOf(c.app);
        const values = (await readAppRoles(ports.graph, app.servicePrincipalId)).filter(
          (r) => roleOfArn(parseSamlRoleValue(r.value)?.roleArn ?? '')?.roleName.toLowerCase() === lower(c.roleName),
        );
        if (values.length === 0) throw new Error(`Entra app '${c.app}' has no app role for ${c.roleName}`);
        const roleId = await appRoleIdOf(app, values[0].value ?? '');
        const groupId = await groupOf(c.group);
        if (c.kind === 'saml.keep.unassign')
          return void (await unassignRole(ports.graph, app.servicePrincipalId, groupId, roleId));
        const out = await assignRole(ports.graph, app.servicePrincipalId, groupId, roleId);
        // A group that held the role already is used as it is, not recorded as the tool's.
        return { objectId: groupId, existing: out === 'already' };
      }
    }
  };

  return {
    resolve: (c) => (isSamlKeepChange(c) ? {} : `${c.kind} is not a direct SAML change`),
    perform: (c) => perform(c as SamlKeepChange),
    limit: (_c, fn) => fn(),
    concurrency: () => 1,
  };
}

/**
 * An instantiate Graph refused outright (4xx) made nothing: named so that the executor drops the ownership record
 * written with the intent (the Graph error stays the cause).
 */
function refused(error: unknown): unknown {
  const status = error instanceof GraphCallError ? error.failure.status : null;
  if (status === null || status >= 500 || status === 408 || status === 429) return error;
  return Object.assign(new Error((error as Error).message, { cause: error }), { name: 'BadRequest' });
}

/** SAML mode, AWS's identifier (`#<account>`, unique in the tenant) and reply URL, and a signing certificate. */
async function configure(
  ports: SamlKeepPorts,
  app: EnterpriseApp,
  accountId: string,
  remember: (app: EnterpriseApp) => void,
): Promise<void> {
  const sp = app.servicePrincipalId;
  if (app.preferredSingleSignOnMode !== 'saml') await ports.appWriter.setSsoMode(sp, 'saml');
  if (!app.identifierUris.some((u) => u.startsWith(AWS_SIGN_IN)) || !app.redirectUris.includes(AWS_SIGN_IN))
    await ports.appWriter.setSamlUrls(app.appObjectId, [`${AWS_SIGN_IN}#${accountId}`], [AWS_SIGN_IN]);
  if (app.preferredTokenSigningKeyThumbprint === null) {
    // Entra's own default for a new SAML app: a three-year self-signed certificate.
    const until = new Date(Date.now() + 3 * 365 * 86_400_000);
    const thumbprint = await ports.appWriter.addSigningCertificate(
      sp,
      'CN=Microsoft Azure Federated SSO Certificate',
      until,
    );
    await ports.appWriter.setPreferredThumbprint(sp, thumbprint);
  }
  remember((await ports.apps.getApp(sp)) ?? app);
}

/** A performer that hands `saml.keep.*` changes to `saml` and every other change to `other`. */
export function withSamlKeepPerformer(other: Performer, saml: Performer): Performer {
  return routePerformer(isSamlKeepChange, saml, other);
}
