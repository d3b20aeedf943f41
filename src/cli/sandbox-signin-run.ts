/**
 * `iam2sso sandbox signin --user UPN [--device-code CODE]`: does in the sandbox what a person does in a browser
 * (Entra's sign-in form with the password the scenario gave them, the authenticator code when the tenant asks,
 * the SAML post to Identity Center, the access portal), approves a pending `aws sso login` device code, and lists
 * the accounts, permission sets and role credentials through the portal API (AWS SDK v3 SSO client).
 */
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  SSOClient,
} from '@aws-sdk/client-sso';
import { CloudError, UsageError } from '../errors.js';
import { type Io, printJson } from './io.js';
import { elementText, firstForm, SandboxBrowser, signInThroughEntra } from './sandbox-browser.js';

export type SigninFlags = {
  user: string;
  deviceCode?: string;
  json?: boolean;
  endpointUrl?: string;
  credentials?: boolean;
};

export type PortalRole = {
  roleName: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
};
export type PortalAccount = { accountId: string; accountName: string; emailAddress: string; roles: PortalRole[] };
export type PortalSession = {
  upn: string;
  userName: string;
  startUrl: string;
  region: string;
  token: string;
  endpoint: string;
};

type ManifestPerson = { upn?: string; password?: string; totpSeed?: string };

/** The sandbox endpoint from the flag or AWS_ENDPOINT_URL (what `sandbox up` exports). */
export function sandboxEndpoint(flag: string | undefined): string {
  const endpoint = flag ?? process.env.AWS_ENDPOINT_URL;
  if (!endpoint)
    throw new UsageError(
      'no sandbox to sign in to: pass --endpoint-url or export AWS_ENDPOINT_URL (see `iam2sso sandbox up`)',
    );
  return endpoint.replace(/\/+$/, '');
}

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new CloudError('sandbox', `HTTP${r.status}`, `GET ${url} answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
}

/** Signs the person in (and approves a device code when given); the portal session's bearer token. */
export async function openPortalSession(endpoint: string, upn: string, deviceCode?: string): Promise<PortalSession> {
  const manifest = await getJson<{ users: ManifestPerson[] }>(`${endpoint}/_sandbox/manifest`);
  const person = manifest.users.find((u) => u.upn?.toLowerCase() === upn.toLowerCase() && u.password);
  if (!person)
    throw new UsageError(
      `${upn} is not a person of the sandbox's scenario with an Entra account (see \`iam2sso sandbox manifest\`)`,
    );
  const { now } = await getJson<{ now: string }>(`${endpoint}/_sandbox/clock`);
  const saml = await getJson<{ signOnUrl: string }>(`${endpoint}/_sandbox/identity-center/saml`);
  const browser = new SandboxBrowser();
  const target = deviceCode
    ? `${endpoint}/start/device?user_code=${encodeURIComponent(deviceCode)}`
    : `${endpoint}/start`;
  let page = await signInThroughEntra(browser, target, {
    upn: person.upn!,
    password: person.password!,
    totpSeed: person.totpSeed,
    now: new Date(now),
  });
  if (deviceCode) {
    if (!firstForm(page)) throw new CloudError('sandbox', 'DevicePage', `no device approval form at ${page.url}`);
    page = await browser.submit(page, { action: 'allow' });
    if (elementText(page, 'result') !== 'Request approved')
      throw new CloudError(
        'sandbox',
        'DeviceCodeRefused',
        `the device code ${deviceCode} was not approved: ${elementText(page, 'error') ?? page.status}`,
      );
  }
  const token = browser.cookie(new URL(page.url).hostname, 'x-amz-sso_authn');
  if (!token) throw new CloudError('sandbox', 'NoSession', `signing in as ${upn} did not reach the access portal`);
  const userName = elementText(page, 'user') ?? upn;
  return {
    upn: person.upn!,
    userName,
    startUrl: saml.signOnUrl,
    region: process.env.AWS_REGION ?? 'us-east-1',
    token,
    endpoint,
  };
}

/** The accounts and permission sets the portal API lists for the session, with credentials when asked. */
export async function listPortalAccess(session: PortalSession, withCredentials: boolean): Promise<PortalAccount[]> {
  const client = new SSOClient({ region: session.region, endpoint: session.endpoint });
  const accessToken = session.token;
  const out: PortalAccount[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListAccountsCommand({ accessToken, nextToken }));
      for (const a of page.accountList ?? [])
        out.push({
          accountId: a.accountId!,
          accountName: a.accountName ?? '',
          emailAddress: a.emailAddress ?? '',
          roles: [],
        });
      nextToken = page.nextToken ?? undefined;
    } while (nextToken);
    for (const account of out) {
      const roles = await client.send(new ListAccountRolesCommand({ accessToken, accountId: account.accountId }));
      for (const r of roles.roleList ?? []) {
        const role: PortalRole = { roleName: r.roleName! };
        if (withCredentials) {
          const c = (
            await client.send(
              new GetRoleCredentialsCommand({ accessToken, accountId: account.accountId, roleName: r.roleName! }),
            )
          ).roleCredentials!;
          role.credentials = {
            accessKeyId: c.accessKeyId!,
            secretAccessKey: c.secretAccessKey!,
            sessionToken: c.sessionToken!,
            expiration: new Date(Number(c.expiration)).toISOString(),
          };
        }
        account.roles.push(role);
      }
    }
  } finally {
    client.destroy();
  }
  return out;
}

/** Runs `sandbox signin`. */
export async function runSandboxSignin(flags: SigninFlags, io: Io): Promise<void> {
  const endpoint = sandboxEndpoint(flags.endpointUrl);
  const session = await openPortalSession(endpoint, flags.user, flags.deviceCode);
  const accounts = await listPortalAccess(session, flags.credentials !== false);
  if (flags.json) {
    printJson(io, {
      user: session.upn,
      userName: session.userName,
      startUrl: session.startUrl,
      deviceCodeApproved: flags.deviceCode ?? null,
      accounts,
    });
    return;
  }
  if (flags.deviceCode)
    io.out(`Approved device code ${flags.deviceCode}: the AWS CLI's \`aws sso login\` finishes now.`);
  io.out(`Signed in to ${session.startUrl} as ${session.userName}`);
  if (!accounts.length) io.out('  no accounts: the portal shows "You do not have any applications or AWS accounts."');
  for (const a of accounts) {
    io.out(`  ${a.accountName} (${a.accountId}) ${a.emailAddress}`);
    for (const r of a.roles)
      io.out(
        `    ${r.roleName}${r.credentials ? `  credentials ${r.credentials.accessKeyId} until ${r.credentials.expiration}` : ''}`,
      );
  }
}
