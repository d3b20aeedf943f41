/**
 * The changes that make each account the plan keeps outside Identity Center match its `outsideIdentityCenter` entry:
 * what is missing is created; an existing app, provider or role of a planned name is the tool's only when it made it
 * or the plan adopts it (`adopt: true`, an `object.adopt` change of its own), and is refused otherwise; an owned role
 * gets the planned policies, an owned provider Entra's current certificate. An account or app that could not be read
 * gets no change. Pure.
 */
import type { PlannedOutsideAccount } from '../plan-types.js';
import type { OriginOf } from './adopt.js';
import type { AdoptChange } from './adopt-changes.js';
import type { ObjectRef } from './changes.js';
import { type SamlKeepChange, samlAppRef, samlProviderRef, samlRoleRef } from './changes-saml-keep.js';

/** The gallery template of Entra's "AWS Single-Account Access" app. */
export const AWS_SINGLE_ACCOUNT_TEMPLATE_ID = '8b1025e4-1dd2-430b-a150-2ef79cd700f5';

/** What was read live for one planned account: its IAM and its Entra app (null: there is none of that name). */
export type SamlKeepLive = {
  accountId: string;
  /** Why the account's IAM or the app could not be read completely (then nothing is changed there), or null. */
  unreadable: string | null;
  app: {
    id: string;
    /** SAML single sign-on with AWS's identifier and reply URL, and an active signing certificate. */
    configured: boolean;
    /** The federation metadata Entra publishes for it (null: none yet). */
    metadata: string | null;
    /** Its app roles as (account, role, provider name) from their `<roleArn>,<providerArn>` values. */
    appRoles: { accountId: string; roleName: string; provider: string }[];
    /** Group assignments as (role name, group display name). */
    assignments: { roleName: string; group: string }[];
  } | null;
  /** The provider of the planned name: its id and metadata (null: there is none). */
  provider: { arn: string; metadata: string } | null;
  /**
   * Roles of the planned names that exist (and those the tool made there before that the plan no longer names), with
   * the ARNs of their attached managed policies.
   */
  roles: { name: string; arn: string; policies: string[] }[];
};

/** A planned object left alone, and why. */
export type SamlKeepSkip = { item: string; reason: string };

const lower = (s: string) => s.toLowerCase();

/** The signing certificates (base64 DER, whitespace removed) a SAML metadata document carries, sorted. */
export function metadataCertificates(xml: string): string[] {
  const out = [...xml.matchAll(/<(?:\w+:)?X509Certificate>([^<]+)<\/(?:\w+:)?X509Certificate>/g)].map((m) =>
    m[1].replace(/\s+/g, ''),
  );
  return [...new Set(out)].sort();
}

type Ctx = { changes: (SamlKeepChange | AdoptChange)[]; skipped: SamlKeepSkip[]; origin: OriginOf };

/** Adopts an existing object the plan adopts; true when the object is (or becomes) the tool's. */
function own(ctx: Ctx, ref: ObjectRef, existing: { id: string; label: string }, adopt: boolean | undefined): boolean {
  if (ctx.origin(ref) !== null) return true;
  if (!adopt) {
    ctx.skipped.push({
      item: existing.label,
      reason: 'exists and is not iam2sso’s: set `adopt: true` on its plan entry to keep it, or choose another name',
    });
    return false;
  }
  ctx.changes.push({ kind: 'object.adopt', object: ref, objectId: existing.id, label: existing.label });
  return true;
}

function diffRoles(ctx: Ctx, entry: PlannedOutsideAccount, live: SamlKeepLive): void {
  const accountId = entry.accountId;
  for (const role of entry.roles) {
    const found = live.roles.find((r) => lower(r.name) === lower(role.name));
    const label = `IAM role ${role.name} in ${accountId}`;
    if (!found) {
      ctx.changes.push({ kind: 'saml.keep.role.create', accountId, roleName: role.name, provider: entry.provider });
      for (const policyArn of role.policies)
        ctx.changes.push({ kind: 'saml.keep.role.attach', accountId, roleName: role.name, policyArn });
      continue;
    }
    const ref = samlRoleRef(accountId, role.name);
    // An adopted role is kept as it is: only roles the tool made get the planned policies.
    if (!own(ctx, ref, { id: found.arn, label }, role.adopt) || ctx.origin(ref) !== 'created') continue;
    for (const policyArn of role.policies.filter((p) => !found.policies.includes(p)))
      ctx.changes.push({ kind: 'saml.keep.role.attach', accountId, roleName: role.name, policyArn });
    for (const policyArn of found.policies.filter((p) => !role.policies.includes(p)))
      ctx.changes.push({ kind: 'saml.keep.role.detach', accountId, roleName: role.name, policyArn });
  }
}

/** Roles and app roles the tool made that the plan no longer names: policies detached, then removed. */
function diffDropped(ctx: Ctx, entry: PlannedOutsideAccount, live: SamlKeepLive): void {
  const { accountId, app } = entry;
  const planned = (name: string) => entry.roles.some((r) => lower(r.name) === lower(name));
  for (const role of live.roles) {
    if (planned(role.name) || ctx.origin(samlRoleRef(accountId, role.name)) !== 'created') continue;
    for (const policyArn of role.policies)
      ctx.changes.push({ kind: 'saml.keep.role.detach', accountId, roleName: role.name, policyArn });
    ctx.changes.push({ kind: 'saml.keep.role.delete', accountId, roleName: role.name });
  }
  for (const r of live.app?.appRoles ?? []) {
    if (r.accountId !== accountId || planned(r.roleName)) continue;
    const key = `${lower(app)}|${accountId}/${lower(r.roleName)}`;
    if (ctx.origin({ kind: 'saml-app-role', key }) === 'created')
      ctx.changes.push({
        kind: 'saml.keep.app-role.remove',
        accountId,
        app,
        roleName: r.roleName,
        provider: r.provider,
      });
  }
}

function diffAppRoles(ctx: Ctx, entry: PlannedOutsideAccount, live: SamlKeepLive): void {
  const { accountId, app } = entry;
  const appRoles = live.app?.appRoles ?? [];
  const assigned = live.app?.assignments ?? [];
  for (const role of entry.roles) {
    const has = appRoles.some(
      (r) => r.accountId === accountId && lower(r.roleName) === lower(role.name) && r.provider === entry.provider,
    );
    if (!has)
      ctx.changes.push({
        kind: 'saml.keep.app-role.add',
        accountId,
        app,
        roleName: role.name,
        provider: entry.provider,
      });
    for (const group of role.groups)
      if (!assigned.some((a) => lower(a.roleName) === lower(role.name) && lower(a.group) === lower(group)))
        ctx.changes.push({ kind: 'saml.keep.assign', accountId, app, roleName: role.name, group });
  }
  // Assignments the tool made that the plan no longer has are removed.
  for (const a of assigned) {
    const planned = entry.roles.find((r) => lower(r.name) === lower(a.roleName));
    if (planned?.groups.some((g) => lower(g) === lower(a.group))) continue;
    const key = `${lower(app)}|${accountId}/${lower(a.roleName)}|${lower(a.group)}`;
    if (ctx.origin({ kind: 'saml-app-assignment', key }) === 'created')
      ctx.changes.push({ kind: 'saml.keep.unassign', accountId, app, roleName: a.roleName, group: a.group });
  }
}

/** The changes for one planned account against what was read of it. */
export function diffSamlKeepAccount(
  entry: PlannedOutsideAccount,
  live: SamlKeepLive,
  origin: OriginOf,
): { changes: (SamlKeepChange | AdoptChange)[]; skipped: SamlKeepSkip[] } {
  const ctx: Ctx = { changes: [], skipped: [], origin };
  const result = () => ({ changes: ctx.changes, skipped: ctx.skipped });
  const { accountId, app } = entry;
  if (live.unreadable) return { changes: [], skipped: [{ item: `account ${accountId}`, reason: live.unreadable }] };
  if (!live.app) {
    ctx.changes.push({ kind: 'saml.keep.app.create', accountId, app, templateId: AWS_SINGLE_ACCOUNT_TEMPLATE_ID });
    ctx.changes.push({ kind: 'saml.keep.app.configure', accountId, app });
  } else {
    if (!own(ctx, samlAppRef(app), { id: live.app.id, label: `Entra app '${app}'` }, entry.adopt)) return result();
    if (!live.app.configured) ctx.changes.push({ kind: 'saml.keep.app.configure', accountId, app });
  }
  const metadata = live.app?.configured ? live.app.metadata : null;
  if (!live.provider) {
    ctx.changes.push({ kind: 'saml.keep.provider.create', accountId, name: entry.provider, app, metadata });
  } else {
    const ref = samlProviderRef(accountId, entry.provider);
    const label = `IAM SAML provider ${entry.provider} in ${accountId}`;
    if (!own(ctx, ref, { id: live.provider.arn, label }, entry.adopt)) return result();
    const rotated =
      metadata !== null &&
      metadataCertificates(metadata).join() !== metadataCertificates(live.provider.metadata).join();
    if (rotated)
      ctx.changes.push({
        kind: 'saml.keep.provider.update',
        accountId,
        name: entry.provider,
        metadata,
        previous: live.provider.metadata,
      });
  }
  diffRoles(ctx, entry, live);
  diffAppRoles(ctx, entry, live);
  diffDropped(ctx, entry, live);
  return result();
}
