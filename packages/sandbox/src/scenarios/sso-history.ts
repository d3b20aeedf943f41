/**
 * The adoption history of a scenario, for `iam2sso track`: some people sign in through Identity Center (the
 * sign-in and access portal records in the management account, AssumeRoleWithSAML and AWSReservedSSO_ role
 * sessions in the accounts they use), in the shapes CloudTrail writes (IdentityCenterUser with onBehalfOf since
 * July 2025, Unknown with the user name before); a few records that are not SSO (another SAML provider, AWS
 * services, cross-account AssumeRole). Each manifest user gets the status track should find over 90 days.
 */
import { createHash } from 'node:crypto';
import { Rng } from '../rng.js';
import { appendTrailEvent, type TrailEvent, type TrailRecord } from '../world/cloudtrail-state.js';
import type { World } from '../world/world.js';
import type { UserActivity } from './materialize-iam.js';
import type { ManifestUser, TrackExpectation } from './types.js';

/**
 * The window the manifest's expectations are computed over (`iam2sso track --since 30d`): generated people use
 * their credentials often, so people who moved are made by ageing their last legacy use to 35-65 days ago,
 * past this window but short of the 90-day audit thresholds (their findings and categories stay as built).
 */
export const TRACK_WINDOW_DAYS = 30;
/** Since this day Identity Center records name the user in onBehalfOf (type IdentityCenterUser). */
const NEW_SHAPE_FROM = Date.parse('2025-07-15T00:00:00Z');
const PERMISSION_SETS = ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'Developer'];
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const CLI = 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 cmd/sso.login';

type Ctx = { world: World; rng: Rng; mgmt: string; region: string; storeArn: string };

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hex16(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function base(ctx: Ctx, ms: number, source: string, name: string, account: string): TrailRecord {
  return {
    eventVersion: '1.10',
    userIdentity: { type: 'Unknown' },
    eventTime: iso(ms),
    eventSource: source,
    eventName: name,
    awsRegion: ctx.region,
    sourceIPAddress: '198.51.100.23',
    userAgent: BROWSER,
    requestParameters: null,
    responseElements: null,
    requestID: ctx.rng.uuid(),
    eventID: ctx.rng.uuid(),
    readOnly: /^(Get|List)/.test(name),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

function push(ctx: Ctx, account: string, record: TrailRecord, username?: string): void {
  const event: TrailEvent = { time: new Date(Date.parse(record.eventTime)), record, username, resources: [] };
  appendTrailEvent(ctx.world.account(account).trail, event);
}

/** Identity Center sign-in and portal records: the post-2025 shape or the older one, by date. */
function identityCenterUser(ctx: Ctx, ms: number, upn: string, userId: string): TrailRecord['userIdentity'] {
  if (ms >= NEW_SHAPE_FROM)
    return {
      type: 'IdentityCenterUser',
      accountId: ctx.mgmt,
      onBehalfOf: { userId, identityStoreArn: ctx.storeArn },
      credentialId: hex16(`${userId}${ms}`),
    };
  return { type: 'Unknown', principalId: ctx.mgmt, accountId: ctx.mgmt, accessKeyId: '', userName: upn };
}

function roleArn(ctx: Ctx, account: string, ps: string): string {
  const path =
    ctx.region === 'us-east-1' ? '/aws-reserved/sso.amazonaws.com/' : `/aws-reserved/sso.amazonaws.com/${ctx.region}/`;
  return `arn:aws:iam::${account}:role${path}AWSReservedSSO_${ps}_${hex16(`${account}|${ps}`)}`;
}

/** One SSO session: sign-in, portal, then the console (AssumeRoleWithSAML) or the CLI (GetRoleCredentials). */
function session(ctx: Ctx, ms: number, upn: string, userId: string, account: string, ps: string, viaConsole: boolean) {
  const who = identityCenterUser(ctx, ms, upn, userId);
  const signIn = (name: string, at: number) => {
    const r = base(ctx, at, 'signin.amazonaws.com', name, ctx.mgmt);
    push(ctx, ctx.mgmt, {
      ...r,
      userIdentity: who,
      eventType: 'AwsServiceEvent',
      additionalEventData: { CredentialType: 'PASSWORD' },
    });
  };
  signIn('UserAuthentication', ms);
  signIn('CredentialVerification', ms + 2000);
  const portal = (name: string, at: number, params: Record<string, unknown> | null) =>
    push(ctx, ctx.mgmt, {
      ...base(ctx, at, 'sso.amazonaws.com', name, ctx.mgmt),
      userIdentity: who,
      requestParameters: params,
    });
  portal('Authenticate', ms + 4000, null);
  portal('ListAccounts', ms + 5000, null);
  portal('ListAccountRoles', ms + 6000, { accountId: account });
  const role = roleArn(ctx, account, ps);
  const roleName = role.split('/').pop()!;
  if (viaConsole) {
    const r = base(ctx, ms + 8000, 'sts.amazonaws.com', 'AssumeRoleWithSAML', account);
    const provider = `arn:aws:iam::${account}:saml-provider/AWSSSO_${hex16(account)}_DO_NOT_DELETE`;
    push(
      ctx,
      account,
      {
        ...r,
        userIdentity: {
          type: 'SAMLUser',
          principalId: `${hex16(provider)}:${upn}`,
          userName: upn,
          identityProvider: hex16(provider),
        },
        requestParameters: { roleSessionName: upn, principalArn: provider, roleArn: role, durationSeconds: 3600 },
      },
      upn,
    );
  } else portal('GetRoleCredentials', ms + 8000, { roleName: ps, accountId: account });
  const calls = ctx.rng.int(1, 3);
  for (let i = 0; i < calls; i++) {
    const r = base(ctx, ms + 20_000 + i * 15_000, 'ec2.amazonaws.com', 'DescribeInstances', account);
    const identity: TrailRecord['userIdentity'] = {
      type: 'AssumedRole',
      principalId: `AROA${hex16(role).toUpperCase()}:${upn}`,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${upn}`,
      accountId: account,
      accessKeyId: `ASIA${hex16(`${role}${ms}`).toUpperCase()}`,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: `AROA${hex16(role).toUpperCase()}`,
          arn: role,
          accountId: account,
          userName: roleName,
        },
        attributes: { creationDate: iso(ms + 8000), mfaAuthenticated: 'false' },
      },
      ...(i % 2 === 1 ? { onBehalfOf: { userId, identityStoreArn: ctx.storeArn } } : {}),
    };
    push(ctx, account, { ...r, userIdentity: identity, userAgent: viaConsole ? BROWSER : CLI, readOnly: true }, upn);
  }
}

/** Records that are not SSO: another SAML provider, an AWS service, a cross-account AssumeRole. */
function contrast(ctx: Ctx, account: string, ms: number, upn: string): void {
  const r = base(ctx, ms, 'sts.amazonaws.com', 'AssumeRoleWithSAML', account);
  push(ctx, account, {
    ...r,
    userIdentity: { type: 'SAMLUser', principalId: `adfs:${upn}`, userName: upn },
    requestParameters: {
      principalArn: `arn:aws:iam::${account}:saml-provider/ADFS`,
      roleArn: `arn:aws:iam::${account}:role/ADFS-ReadOnly`,
      roleSessionName: upn,
    },
  });
  push(ctx, account, {
    ...base(ctx, ms + 60_000, 'sts.amazonaws.com', 'AssumeRole', account),
    userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
  });
  push(ctx, account, {
    ...base(ctx, ms + 120_000, 'sts.amazonaws.com', 'AssumeRole', account),
    userIdentity: { type: 'AWSAccount', principalId: 'AIDAEXAMPLEPARTNER', accountId: '999988887777' },
    requestParameters: { roleArn: `arn:aws:iam::${account}:role/PartnerAudit`, roleSessionName: 'partner' },
  });
}

/**
 * Makes every other person (of those who only have human IAM users) someone who stopped using their IAM users:
 * their password's and keys' last use move to 35-65 days ago. Runs before the history is written.
 */
export function ageMigratedPeople(seed: number, nowMs: number, activities: UserActivity[]): void {
  const rng = new Rng(seed ^ 0x3160);
  const people = new Map<string, UserActivity[]>();
  for (const a of activities)
    if (a.spec.upn && !a.spec.operator) people.set(a.spec.upn, [...(people.get(a.spec.upn) ?? []), a]);
  let n = 0;
  for (const [, mine] of [...people].sort(([x], [y]) => x.localeCompare(y))) {
    if (!mine.every((a) => a.spec.category.startsWith('human') && !a.spec.leaver) || n++ % 2 === 1) continue;
    const ago = (floor: Date) => new Date(Math.max(floor.getTime() + 3_600_000, nowMs - rng.int(35, 65) * 86_400_000));
    for (const a of mine) {
      if (a.user.passwordLastUsed && a.user.loginProfile) a.user.passwordLastUsed = ago(a.user.loginProfile.createDate);
      for (const use of a.keys)
        if (use.key.lastUsed) use.key.lastUsed = { ...use.key.lastUsed, date: ago(use.key.createDate) };
    }
  }
}

/** True when the generated history holds a legacy use (sign-in or key call) of the user within the window. */
function usedInWindow(world: World, a: UserActivity, fromMs: number): boolean {
  return world.account(a.accountId).trail.events.some((e) => {
    const r = e.record;
    if (e.time.getTime() < fromMs || r.userIdentity.type !== 'IAMUser' || r.userIdentity.userName !== a.user.userName)
      return false;
    return (
      r.eventName !== 'ConsoleLogin' ||
      (r.responseElements as { ConsoleLogin?: string } | null)?.ConsoleLogin === 'Success'
    );
  });
}

/** Writes the adoption history and returns each manifest user's expected track status. */
export function generateSsoHistory(
  world: World,
  seed: number,
  nowMs: number,
  activities: UserActivity[],
  users: ManifestUser[],
): void {
  const sso = world.sso;
  const mgmt = world.organization?.managementAccountId;
  if (!sso || !mgmt) return;
  const ctx: Ctx = {
    world,
    rng: new Rng(seed ^ 0x7a11),
    mgmt,
    region: sso.region,
    storeArn: `arn:aws:identitystore::${mgmt}:identitystore/${sso.identityStoreId}`,
  };
  const fromMs = nowMs - TRACK_WINDOW_DAYS * 86_400_000;
  const people = new Map<string, UserActivity[]>();
  for (const a of activities)
    if (a.spec.upn && !a.spec.operator) people.set(a.spec.upn, [...(people.get(a.spec.upn) ?? []), a]);
  // The operator (an admin of the management account) is left out of the turns below, but it is one of its
  // person's IAM users: its key is busy in the history (and signs every call a client of the sandbox makes), so
  // a person who owns it has legacy use in the window whatever their other IAM users did.
  const operatorInUse = new Set(
    activities.filter((a) => a.spec.operator && a.spec.upn && usedInWindow(world, a, fromMs)).map((a) => a.spec.upn),
  );
  const expected = new Map<string, TrackExpectation>();
  // People still using their old credentials alternate between dual and legacy-only, the others between
  // sso-only and silent (adopting first), so a small estate shows every status. In generated estates the people
  // without recent legacy use are mostly leavers: their SSO use is from before they left.
  const turn = { legacy: 0, quiet: 0 };
  for (const [upn, mine] of [...people].sort(([x], [y]) => x.localeCompare(y))) {
    const legacy = mine.some((a) => usedInWindow(world, a, fromMs));
    const adopts = turn[legacy ? 'legacy' : 'quiet']++ % 2 === 0;
    const usesLegacy = legacy || operatorInUse.has(upn);
    if (!adopts) {
      expected.set(upn, { status: usesLegacy ? 'legacy-only' : 'silent' });
      continue;
    }
    const userId = `${ctx.rng.hex(8)}-${ctx.rng.hex(4)}-${ctx.rng.hex(4)}-${ctx.rng.hex(4)}-${ctx.rng.hex(12)}`;
    const sessions = ctx.rng.int(2, 5);
    // The first session at noon (UTC) some days ago: its day is the `since` an sso-only person gets.
    const daysAgo = ctx.rng.int(5, TRACK_WINDOW_DAYS - 5);
    const first = Math.floor((nowMs - daysAgo * 86_400_000) / 86_400_000) * 86_400_000 + 12 * 3_600_000;
    for (let s = 0; s < sessions; s++) {
      const at = Math.floor((first + (s * (nowMs - 3_600_000 - first)) / sessions) / 1000) * 1000;
      const account = ctx.rng.pick(mine).accountId;
      session(ctx, at, upn, userId, account, ctx.rng.pick(PERMISSION_SETS), s === 0 || ctx.rng.chance(0.5));
    }
    if (ctx.rng.chance(0.3)) contrast(ctx, mine[0].accountId, first - 3_600_000, upn);
    expected.set(upn, usesLegacy ? { status: 'dual' } : { status: 'sso-only', sinceDaysAgo: daysAgo });
  }
  for (const u of users) {
    if (u.operator) continue;
    const a = activities.find((x) => x.accountId === u.accountId && x.user.userName === u.userName);
    if (u.upn && expected.has(u.upn)) u.track = expected.get(u.upn);
    else if (a) u.track = { status: usedInWindow(world, a, fromMs) ? 'legacy-only' : 'silent' };
  }
}
