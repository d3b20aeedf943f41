/**
 * Writes one account's IAM state from its spec: customer managed policies with versions, groups, users with
 * passwords, MFA, keys (with last use), SSH keys, signing certificates and service-specific credentials.
 */
import { makeAwsId, makeSecret, type Rng } from '../rng.js';
import type { AccessKey, IamAccountState, IamGroup, IamUser, ManagedPolicy } from '../world/iam-state.js';
import { newIamUser } from '../world/iam-state.js';
import type { AccountState, World } from '../world/world.js';
import { type ApiAction, clientProfile, GLOBAL_SERVICES } from './clients.js';
import { resolvePolicyRef } from './policy-refs.js';
import type { AccountSpec, ClientName, PolicyDocument, UserSpec } from './spec.js';

const DAY_MS = 86_400_000;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Shared by every step that turns a spec into state. */
export type MaterializeContext = { world: World; rng: Rng; nowMs: number };

/** The instant `days` days before now, on a whole second (CloudTrail and IAM report seconds). */
export function daysAgo(ctx: MaterializeContext, days: number): Date {
  return new Date(Math.floor((ctx.nowMs - days * DAY_MS) / 1000) * 1000);
}

/** How one key was used: the client, its user agent, and the call that set the key's last use. */
export type KeyUse = { key: AccessKey; client: ClientName | string; userAgent: string; last: ApiAction };

/** What the history generator needs about a user once its state exists. */
export type UserActivity = { accountId: string; user: IamUser; spec: UserSpec; keys: KeyUse[]; region: string };

function policyText(document: PolicyDocument): string {
  return JSON.stringify(document, null, 4);
}

function mustResolve(ref: string, account: AccountState, iam: IamAccountState): string {
  const byName = new Map([...iam.policies.values()].map((p) => [p.policyName, p]));
  const arn = resolvePolicyRef(ref, account.id, byName);
  if (!arn) throw new Error(`scenario: account ${account.name} has no policy "${ref}"`);
  return arn;
}

function addPolicies(ctx: MaterializeContext, account: AccountState, spec: AccountSpec): void {
  for (const p of spec.policies) {
    const age = 400 + ctx.rng.next() * 900;
    const versions = p.versions.map((document, i) => ({
      versionId: `v${i + 1}`,
      document: policyText(document),
      createDate: daysAgo(ctx, age - (i * age) / (p.versions.length + 1)),
      isDefault: i + 1 === p.defaultVersion,
    }));
    const policy: ManagedPolicy = {
      arn: `arn:aws:iam::${account.id}:policy${p.path}${p.name}`,
      policyName: p.name,
      policyId: makeAwsId(ctx.rng, 'ANPA'),
      path: p.path,
      description: p.description,
      createDate: versions[0].createDate,
      updateDate: versions[p.defaultVersion - 1].createDate,
      versions,
      tags: [],
    };
    account.iam.policies.set(policy.arn, policy);
  }
}

function addGroups(ctx: MaterializeContext, account: AccountState, spec: AccountSpec): void {
  for (const g of spec.groups) {
    const group: IamGroup = {
      groupName: g.name,
      groupId: makeAwsId(ctx.rng, 'AGPA'),
      path: g.path,
      createDate: daysAgo(ctx, 900 + ctx.rng.next() * 600),
      attachedPolicies: g.policies.map((ref) => mustResolve(ref, account, account.iam)),
      inlinePolicies: new Map(Object.entries(g.inlinePolicies).map(([n, d]) => [n, policyText(d)])),
    };
    account.iam.groups.set(group.groupName, group);
  }
}

function addCredentials(ctx: MaterializeContext, account: AccountState, user: IamUser, spec: UserSpec): void {
  const { rng } = ctx;
  const created = user.createDate.getTime();
  const after = (days: number) => new Date(Math.min(ctx.nowMs - 3600_000, created + days * DAY_MS));
  for (let i = 0; i < spec.sshKeys; i++) {
    user.sshPublicKeys.push({
      sshPublicKeyId: makeAwsId(rng, 'APKA'),
      body: `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${rng.chars(340, BASE64)} ${user.userName}@laptop`,
      fingerprint: Array.from({ length: 16 }, () => rng.hex(2)).join(':'),
      status: 'Active',
      uploadDate: after(3 + i),
    });
  }
  for (let i = 0; i < spec.signingCertificates; i++) {
    const lines = Array.from({ length: 12 }, () => rng.chars(64, BASE64));
    user.signingCertificates.push({
      certificateId: rng.chars(32, BASE32),
      body: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
      status: 'Active',
      uploadDate: after(5 + i),
    });
  }
  if (spec.codeCommitCredential) {
    user.serviceSpecificCredentials.push({
      serviceSpecificCredentialId: makeAwsId(rng, 'ACCA'),
      serviceName: 'codecommit.amazonaws.com',
      serviceUserName: `${user.userName}-at-${account.id}`,
      servicePassword: rng.chars(44, BASE64),
      status: 'Active',
      createDate: after(10),
    });
  }
}

function addKeys(ctx: MaterializeContext, account: AccountState, user: IamUser, spec: UserSpec, region: string) {
  const uses: KeyUse[] = [];
  for (const k of spec.keys) {
    const key = ctx.world.issueAccessKey(account.id, user.userName, daysAgo(ctx, k.ageDays));
    key.status = k.status;
    const profile = clientProfile(k.client);
    const userAgent = ctx.rng.pick(profile.agents);
    const last = ctx.rng.pick(profile.actions);
    if (k.lastUsedDaysAgo !== undefined) {
      key.lastUsed = {
        date: daysAgo(ctx, k.lastUsedDaysAgo),
        serviceName: last.service,
        region: GLOBAL_SERVICES.has(last.service) ? 'us-east-1' : region,
      };
    }
    user.accessKeys.push(key);
    uses.push({ key, client: k.client, userAgent, last });
  }
  return uses;
}

function addMfa(ctx: MaterializeContext, account: AccountState, user: IamUser): void {
  const serialNumber = `arn:aws:iam::${account.id}:mfa/${user.userName}`;
  const enabled = new Date((user.loginProfile?.createDate ?? user.createDate).getTime() + 600_000);
  account.iam.mfaDevices.set(serialNumber, {
    serialNumber,
    base32Seed: ctx.rng.chars(64, BASE32),
    createDate: enabled,
    userName: user.userName,
    enableDate: enabled,
    tags: [],
  });
  user.mfaDevices.push(serialNumber);
}

/** Virtual MFA devices created and never assigned (someone started setting up MFA and gave up). */
export function addAbandonedMfaDevices(ctx: MaterializeContext, account: AccountState, names: string[]): void {
  for (const name of names) {
    const serialNumber = `arn:aws:iam::${account.id}:mfa/${name}`;
    const createDate = daysAgo(ctx, 20 + ctx.rng.next() * 40);
    account.iam.mfaDevices.set(serialNumber, {
      serialNumber,
      base32Seed: ctx.rng.chars(64, BASE32),
      createDate,
      tags: [],
    });
  }
}

/** The oldest the user can be: older than its keys and its password. */
function userAge(spec: UserSpec): number {
  const ages = [spec.createdDaysAgo, ...spec.keys.map((k) => k.ageDays + 1)];
  if (spec.password?.createdDaysAgo !== undefined) ages.push(spec.password.createdDaysAgo);
  return Math.max(...ages);
}

function addUser(ctx: MaterializeContext, account: AccountState, spec: UserSpec): UserActivity {
  const { rng } = ctx;
  const user = newIamUser(spec.name, makeAwsId(rng, 'AIDA'), daysAgo(ctx, userAge(spec)), spec.path);
  const region = rng.chance(0.2) ? 'eu-west-1' : 'us-east-1';
  user.tags = Object.entries(spec.tags).map(([key, value]) => ({ key, value }));
  if (spec.permissionsBoundary) user.permissionsBoundary = mustResolve(spec.permissionsBoundary, account, account.iam);
  if (spec.password) {
    const created = spec.password.createdDaysAgo ?? userAge(spec);
    user.loginProfile = { createDate: daysAgo(ctx, created), passwordResetRequired: false, password: makeSecret(rng) };
    if (spec.password.lastUsedDaysAgo !== undefined)
      user.passwordLastUsed = daysAgo(ctx, spec.password.lastUsedDaysAgo);
  }
  if (spec.mfa) addMfa(ctx, account, user);
  user.attachedPolicies = spec.policies.map((ref) => mustResolve(ref, account, account.iam));
  for (const [name, document] of Object.entries(spec.inlinePolicies))
    user.inlinePolicies.set(name, policyText(document));
  for (const g of spec.groups) {
    if (!account.iam.groups.has(g)) throw new Error(`scenario: account ${account.name} has no group "${g}"`);
    user.groups.push(g);
  }
  const keys = addKeys(ctx, account, user, spec, region);
  addCredentials(ctx, account, user, spec);
  account.iam.users.set(user.userName, user);
  return { accountId: account.id, user, spec, keys, region };
}

/** Fills an account's IAM from its spec; returns what the history generator needs per user. */
export function materializeAccountIam(ctx: MaterializeContext, account: AccountState, spec: AccountSpec) {
  addPolicies(ctx, account, spec);
  addGroups(ctx, account, spec);
  return spec.users.map((u) => addUser(ctx, account, u));
}
