/**
 * What the AWS CLI would use for a command: the profile, the region (flag, then AWS_REGION / AWS_DEFAULT_REGION,
 * then the profile's `region`), the profile's SSO settings, and credentials that say "run aws sso login" when an
 * SSO profile is not logged in. The files are read by the SDK's own shared config loader (AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE, `[profile x]` and `[sso-session x]` sections), never parsed here.
 */
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { getProfileName, loadSharedConfigFiles } from '@smithy/core/config';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CloudError } from '../errors.js';

/** The AWS options every command that talks to AWS takes (`--profile`, `--region`, `--sso-region`, `--endpoint-url`). */
export type AwsOptions = { profile?: string; region?: string; ssoRegion?: string; endpointUrl?: string };

/** The settings of the profile in use that iam2sso needs beyond what the SDK resolves itself. */
export type ProfileSettings = {
  /** The profile named by `--profile` or AWS_PROFILE (undefined: the default chain). */
  profile?: string;
  /** The name the SDK reads (`default` when none is named). */
  profileName: string;
  /** The profile's `region`, if any. */
  region?: string;
  /** The region of the profile's SSO login (`sso_region`, or that of its `sso-session`): Identity Center's. */
  ssoRegion?: string;
  /** True when the profile signs in through IAM Identity Center (`sso_start_url` or `sso_session`). */
  isSso: boolean;
  /** The profile's `endpoint_url` (unless `ignore_configured_endpoint_urls` is true). */
  endpointUrl?: string;
};

/** Reads the named (or AWS_PROFILE, or default) profile through the SDK's shared config loader. */
export async function readProfileSettings(
  options: AwsOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProfileSettings> {
  const profileName = getProfileName({ profile: options.profile ?? env.AWS_PROFILE });
  const files = await loadSharedConfigFiles({
    ignoreCache: true,
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
  });
  const section = files.configFile[profileName] ?? {};
  const sessionName = section.sso_session;
  // The loader keys sso-session sections as `sso-session.NAME` (CONFIG_PREFIX_SEPARATOR is '.').
  const session = sessionName ? (files.configFile[`sso-session.${sessionName}`] ?? {}) : {};
  return {
    profile: options.profile ?? env.AWS_PROFILE,
    profileName,
    region: section.region ?? files.credentialsFile[profileName]?.region,
    ssoRegion: section.sso_region ?? session.sso_region,
    isSso: Boolean(section.sso_start_url || sessionName),
    endpointUrl: section.ignore_configured_endpoint_urls === 'true' ? undefined : section.endpoint_url,
  };
}

/** The AWS CLI's precedence: `--region`, then AWS_REGION or AWS_DEFAULT_REGION, then the profile's `region`. */
export function pickRegion(options: AwsOptions, env: NodeJS.ProcessEnv, profile: ProfileSettings): string | undefined {
  return options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? profile.region;
}

/**
 * The endpoint override: `--endpoint-url`, else none when an AWS_ENDPOINT_URL variable is set (the SDK reads it,
 * per service too), else the profile's `endpoint_url`. The SDK reads `endpoint_url` only from AWS_PROFILE's
 * profile, not from a client's `profile` option, so it is passed explicitly
 * (precedence: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 */
export function pickEndpoint(
  options: AwsOptions,
  env: NodeJS.ProcessEnv,
  profile: ProfileSettings,
): string | undefined {
  if (options.endpointUrl) return options.endpointUrl;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  if (Object.keys(env).some((k) => k === 'AWS_ENDPOINT_URL' || k.startsWith('AWS_ENDPOINT_URL_'))) return undefined;
  return profile.endpointUrl;
}

const SSO_NOT_LOGGED_IN = /SSO session|sso login|token.*(expired|not found|invalid)|expired.*token/i;

/**
 * The credentials: with `--profile`, that profile only (as the AWS CLI does, environment keys are not used);
 * otherwise the SDK's default chain (environment, AWS_PROFILE, SSO, web identity, container, instance).
 * An SSO profile whose session is missing or expired fails with "run aws sso login --profile X".
 */
export function credentialsFor(profile: ProfileSettings): AwsCredentialIdentityProvider {
  const base = profile.profile ? fromIni({ profile: profile.profile }) : fromNodeProviderChain();
  return async (props) => {
    try {
      return await base(props);
    } catch (error) {
      const message = (error as Error).message ?? '';
      if (profile.isSso && SSO_NOT_LOGGED_IN.test(message))
        throw new CloudError(
          'aws',
          'SsoLoginRequired',
          `profile ${profile.profileName} signs in through IAM Identity Center and has no valid session`,
          undefined,
          `run aws sso login --profile ${profile.profileName}, then run this command again`,
        );
      if (profile.profile && /using profile/i.test(message))
        throw new CloudError(
          'aws',
          'ProfileNotFound',
          `no credentials for profile ${profile.profileName} in the AWS config and credentials files`,
          undefined,
          'check the name (`aws configure list-profiles`), or set AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE',
        );
      throw error;
    }
  };
}
