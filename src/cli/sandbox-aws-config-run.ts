/**
 * `iam2sso sandbox aws-config --user UPN --dir DIR`: an AWS CLI configuration for one person of the sandbox, as
 * `aws configure sso` would write it (an `sso-session` and one profile per account and permission set the portal
 * lists for them), plus what the CLI needs to reach the sandbox. The AWS CLI 2.9 that Debian ships ignores
 * endpoint settings for `sso` and `sso-oidc` but loads endpoint rule sets from the directories of AWS_DATA_PATH
 * before its own (botocore's Loader: extra search paths, then ~/.aws/models, then its data), so DIR/models holds
 * a rule set for sso, sso-oidc and sts whose one rule is the sandbox's endpoint. CLI 2.13 and later also honour
 * AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC, which are exported too.
 * Source: botocore/data/<service>/2019-06-10/endpoint-rule-set-1.json (rule set format 1.0), botocore/loaders.py.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { awsConfigText, type ProfileTarget, profileName } from '../rollout/aws-config-text.js';
import type { Io } from './io.js';
import { printJson } from './io.js';
import { listPortalAccess, openPortalSession, sandboxEndpoint } from './sandbox-signin-run.js';

export type AwsConfigFlags = { user: string; dir: string; json?: boolean; endpointUrl?: string };

/** The services whose endpoint the CLI must be told through a rule set, and their model versions. */
const RULE_SET_SERVICES: [string, string][] = [
  ['sso', '2019-06-10'],
  ['sso-oidc', '2019-06-10'],
  ['sts', '2011-06-15'],
];

/** A rule set (format 1.0) whose only rule answers `endpoint` whatever the region. */
export function fixedEndpointRuleSet(endpoint: string): unknown {
  const flag = (builtIn: string) => ({ builtIn, required: true, default: false, type: 'Boolean' });
  return {
    version: '1.0',
    parameters: {
      Region: { builtIn: 'AWS::Region', required: false, type: 'String' },
      UseDualStack: flag('AWS::UseDualStack'),
      UseFIPS: flag('AWS::UseFIPS'),
      Endpoint: { builtIn: 'SDK::Endpoint', required: false, type: 'String' },
    },
    rules: [{ conditions: [], endpoint: { url: endpoint, properties: {}, headers: {} }, type: 'endpoint' }],
  };
}

/** Runs `sandbox aws-config`. */
export async function runSandboxAwsConfig(flags: AwsConfigFlags, io: Io): Promise<void> {
  const endpoint = sandboxEndpoint(flags.endpointUrl);
  const dir = resolve(flags.dir);
  const session = await openPortalSession(endpoint, flags.user);
  const accounts = await listPortalAccess(session, false);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config');
  const targets: ProfileTarget[] = accounts.flatMap((a) =>
    a.roles.map((r) => ({ accountId: a.accountId, accountName: a.accountName, permissionSet: r.roleName })),
  );
  writeFileSync(
    config,
    awsConfigText({ name: 'iam2sso-sandbox', startUrl: session.startUrl, region: session.region }, targets),
  );
  const models = join(dir, 'models');
  for (const [service, version] of RULE_SET_SERVICES) {
    const at = join(models, service, version);
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, 'endpoint-rule-set-1.json'), `${JSON.stringify(fixedEndpointRuleSet(endpoint), null, 2)}\n`);
  }
  const exports: Record<string, string> = {
    AWS_CONFIG_FILE: config,
    AWS_DATA_PATH: models,
    AWS_ENDPOINT_URL_SSO: endpoint,
    AWS_ENDPOINT_URL_SSO_OIDC: endpoint,
    AWS_ENDPOINT_URL_STS: endpoint,
  };
  const profiles = targets.map((t) => ({ profile: profileName(t), accountId: t.accountId, roleName: t.permissionSet }));
  if (flags.json) {
    printJson(io, { config, dataPath: models, exports, profiles });
    return;
  }
  for (const [k, v] of Object.entries(exports)) io.out(`export ${k}=${v}`);
  io.err(
    `# ${profiles.length} profiles for ${session.upn} in ${config}; then: aws sso login --sso-session iam2sso-sandbox --no-browser`,
  );
  for (const p of profiles) io.err(`#   aws sts get-caller-identity --profile ${p.profile}`);
}
