/**
 * AWS clients of every command: settings resolved once per command from its options (profile, region,
 * Identity Center's region, endpoint) with the AWS CLI's precedence, one client per account and service,
 * adaptive retries, and a counter middleware so every request sent is counted.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { type AwsOptions, credentialsFor, pickEndpoint, pickRegion, readProfileSettings } from './aws-profile.js';
import { listInstancesProbe, locateIdentityCenterRegion } from './identity-center-region.js';
import { boundedRetryStrategy } from './retry.js';

export type { AwsOptions } from './aws-profile.js';

/** The app id iam2sso puts in its user agent. */
export const IAM2SSO_APP_ID = 'iam2sso';

/** Counts requests per `service:Operation` (attempts, so retries after throttling count too). */
export class ApiCallCounter {
  readonly attempts = new Map<string, number>();
  readonly calls = new Map<string, number>();
  /** Total requests sent, retries included. */
  get total(): number {
    let n = 0;
    for (const v of this.attempts.values()) n += v;
    return n;
  }
  /** Requests that were retries of an earlier attempt (throttling, server errors). */
  get retries(): number {
    let n = 0;
    for (const v of this.calls.values()) n += v;
    return this.total - n;
  }
  /** Requests per operation, sorted by name. */
  byOperation(): Record<string, number> {
    return Object.fromEntries([...this.attempts].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** How to reach AWS: region, optional endpoint override, base credentials, retry budget. */
export type AwsSettings = {
  region: string;
  /** Identity Center's region when it differs from `region` (SSO Admin and Identity Store clients use it). */
  ssoRegion?: string;
  /** The profile named by `--profile`: the SDK then reads that profile's `endpoint_url` and other settings. */
  profile?: string;
  /** 'adaptive' unless AWS_RETRY_MODE says otherwise (the SDK's own setting, honoured as users expect). */
  retryMode: 'adaptive' | 'standard' | 'legacy';
  /** Overrides the endpoint of every service (the `--endpoint-url` flag); AWS_ENDPOINT_URL also works. */
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  maxAttempts: number;
  counter: ApiCallCounter;
};

/** Settings from the environment: AWS_REGION (or AWS_DEFAULT_REGION), the default credential chain. */
export function awsSettingsFromEnv(overrides: Partial<AwsSettings> = {}): AwsSettings {
  return {
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    retryMode: (['standard', 'legacy'] as const).find((m) => m === process.env.AWS_RETRY_MODE) ?? 'adaptive',
    credentials: fromNodeProviderChain(),
    maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS) > 0 ? Number(process.env.AWS_MAX_ATTEMPTS) : 10,
    counter: new ApiCallCounter(),
    ...overrides,
  };
}

/** What a command asks of `resolveAwsSettings`: find Identity Center's region, and where to write notes. */
export type ResolveOptions = {
  identityCenter?: boolean;
  note?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
};

/**
 * The settings of one command, from its options with the AWS CLI's precedence: `--profile` (else AWS_PROFILE),
 * `--region` (else AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, us-east-1), `--endpoint-url` (else
 * AWS_ENDPOINT_URL or the profile's `endpoint_url`, which the SDK reads itself). With `identityCenter`, also
 * Identity Center's region: `--sso-region`, else the profile's SSO region or the command's region if an instance
 * is there, else a search of the partition's regions.
 */
export async function resolveAwsSettings(
  options: AwsOptions,
  resolve: ResolveOptions = {},
  overrides: Partial<AwsSettings> = {},
): Promise<AwsSettings> {
  const env = resolve.env ?? process.env;
  const profile = await readProfileSettings(options, env);
  const endpoint = pickEndpoint(options, env, profile);
  const settings = awsSettingsFromEnv({
    region: pickRegion(options, env, profile) ?? 'us-east-1',
    credentials: credentialsFor(profile),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...overrides,
  });
  if (!resolve.identityCenter) return settings;
  const ssoRegion = await locateIdentityCenterRegion({
    ssoRegion: options.ssoRegion,
    candidates: [profile.ssoRegion, settings.region],
    probe: listInstancesProbe((region) => ({ ...config(settings, settings.credentials), region })),
    note: resolve.note,
  });
  return { ...settings, ssoRegion };
}

type Countable = {
  middlewareStack: {
    add(mw: unknown, options: { step: string; name: string; priority?: string }): void;
    addRelativeTo(mw: unknown, options: { relation: string; toMiddleware: string; name: string }): void;
  };
};

function instrument<T>(client: T, service: string, counter: ApiCallCounter): T {
  const stack = (client as unknown as Countable).middlewareStack;
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  stack.add(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      const operation = (context.commandName ?? '?').replace(/Command$/, '');
      bump(counter.calls, `${service}:${operation}`);
      // Every failure names its call (an SDK parse error or a reset connection does not otherwise).
      return next(args).catch((error: unknown) => {
        if (error && typeof error === 'object' && !('$operation' in error))
          Object.assign(error, { $operation: operation, $client: service });
        throw error;
      });
    },
    { step: 'initialize', name: 'iam2ssoCallCounter', priority: 'high' },
  );
  stack.addRelativeTo(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      bump(counter.attempts, `${service}:${(context.commandName ?? '?').replace(/Command$/, '')}`);
      return next(args);
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'iam2ssoAttemptCounter' },
  );
  return client;
}

/** A read that gets no answer at all is abandoned after this long (and retried as a connection failure). */
const READ_TIMEOUT_MS = 60_000;

/** The audit's reads: the retry rule of every client, and a timeout. */
function readConfig(settings: AwsSettings, credentials: AwsSettings['credentials']) {
  return {
    ...config(settings, credentials),
    requestHandler: { requestTimeout: READ_TIMEOUT_MS, connectionTimeout: 10_000, throwOnRequestTimeout: true },
  };
}

function config(settings: AwsSettings, credentials: AwsSettings['credentials']) {
  return {
    region: settings.region,
    credentials,
    retryMode: settings.retryMode,
    // Names iam2sso in every user agent (`app/iam2sso`), so its own calls are recognisable in CloudTrail.
    userAgentAppId: IAM2SSO_APP_ID,
    maxAttempts: settings.maxAttempts,
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    // The product's retry rule (retry.ts) unless AWS_RETRY_MODE chose one of the SDK's modes.
    ...(process.env.AWS_RETRY_MODE ? {} : { retryStrategy: boundedRetryStrategy(settings.maxAttempts) }),
  };
}

/** The clients of one account, all signing with the same credentials. */
export type AccountClients = { iam: IAMClient; cloudtrail: CloudTrailClient };

/** Creates the clients of one account (the management account uses the base credentials). */
export function createAccountClients(
  settings: AwsSettings,
  credentials: AwsSettings['credentials'] = settings.credentials,
): AccountClients {
  return {
    iam: instrument(new IAMClient(readConfig(settings, credentials)), 'iam', settings.counter),
    cloudtrail: instrument(new CloudTrailClient(readConfig(settings, credentials)), 'cloudtrail', settings.counter),
  };
}

/** The clients that act with the base credentials: STS (identity, assume role) and Organizations. */
export function createBaseClients(settings: AwsSettings): { sts: STSClient; organizations: OrganizationsClient } {
  return {
    sts: instrument(new STSClient(readConfig(settings, settings.credentials)), 'sts', settings.counter),
    organizations: instrument(
      new OrganizationsClient(readConfig(settings, settings.credentials)),
      'organizations',
      settings.counter,
    ),
  };
}

/** Closes the clients' connection pools. */
export function destroyClients(clients: Record<string, { destroy(): void }>): void {
  for (const c of Object.values(clients)) c.destroy();
}

/** Adds the request counter to a client built elsewhere (Identity Center, Identity Store). */
export function countRequests<T>(client: T, service: string, counter: ApiCallCounter): T {
  return instrument(client, service, counter);
}

/** The configuration every AWS client of the product uses: region, base credentials, retries, endpoint. */
export function clientConfig(settings: AwsSettings) {
  return config(settings, settings.credentials);
}

/** The configuration of a client that only reads Identity Center: bounded retries and a timeout, in its region. */
export function identityCenterReadConfig(settings: AwsSettings) {
  return { ...readConfig(settings, settings.credentials), region: settings.ssoRegion ?? settings.region };
}

/** The configuration of the Identity Center clients (SSO Admin, Identity Store): in Identity Center's region. */
export function identityCenterClientConfig(settings: AwsSettings) {
  return { ...config(settings, settings.credentials), region: settings.ssoRegion ?? settings.region };
}
