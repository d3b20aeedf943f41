/**
 * `iam2sso entra setup`: the AWS IAM Identity Center enterprise app in Entra (gallery app, SAML from Identity
 * Center's SP metadata, signing certificate, federation metadata file, provisioning to the SCIM endpoint), and
 * `iam2sso entra provision`: one user provisioned on demand (assigned to the app first with `--assign`), journaled
 * through the executor like setup. `--dry-run` swaps in recording writers.
 */
import { type Command, Option } from 'commander';
import { CREDENTIAL_KINDS } from '../entra/settings.js';
import { DEFAULT_APP_NAME } from '../entra/setup-plan.js';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { ProvisionFlags, SetupFlags } from './entra-run.js';
import { registerHarden } from './harden.js';
import type { Io } from './io.js';

export const SCIM_TOKEN_ENV = 'IAM2SSO_SCIM_TOKEN';

function connectionOptions(command: Command): Command {
  return command
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--tenant-id <id>', 'Entra tenant (AZURE_TENANT_ID, entra.tenantId)')
    .option('--client-id <id>', 'app registration iam2sso signs in as (AZURE_CLIENT_ID, entra.clientId)')
    .addOption(new Option('--credential <kind>', 'how to sign in (entra.credential)').choices(CREDENTIAL_KINDS))
    .option('--graph-endpoint <url>', 'Microsoft Graph endpoint (IAM2SSO_GRAPH_ENDPOINT, entra.graphEndpoint)')
    .option('--authority-host <url>', 'Entra authority (AZURE_AUTHORITY_HOST, entra.authorityHost)')
    .option('--json', 'print the result as JSON', false);
}

/** Registers `entra setup` and `entra provision`. */
export function registerEntra(program: Command, io: Io): void {
  const entra = program
    .command('entra')
    .description('set up and check the Entra ID side (enterprise app, SAML, provisioning)');
  connectionOptions(
    entra
      .command('setup')
      .description('create and configure the AWS IAM Identity Center enterprise app: SAML, certificate, provisioning')
      .option('--dry-run', 'print what would change without changing anything', false)
      .option('--sp-metadata <file>', "Identity Center's SAML SP metadata XML (Settings > Identity source)")
      .option('--sp-metadata-url <url>', 'fetch the SP metadata from a URL instead')
      .option('--scim-endpoint <url>', `Identity Center's SCIM endpoint; the token is read from ${SCIM_TOKEN_ENV}`)
      .option('--replace-scim-credentials', 'save the SCIM endpoint and token even if the saved ones work', false)
      .option('--app-name <name>', 'enterprise app display name', DEFAULT_APP_NAME)
      .option(
        '--federation-metadata-out <file>',
        'where to save the federation metadata XML',
        'entra-federation-metadata.xml',
      )
      .option('--state <path>', 'state database (the journal of the run)', DEFAULT_STATE_PATH)
      .option('--no-progress', 'no progress output on stderr'),
  ).action(async (flags: SetupFlags) => (await import('./entra-run.js')).runSetupCommand(flags, io));
  connectionOptions(
    entra
      .command('provision')
      .description('provision one user to Identity Center now (provision on demand)')
      .requiredOption('--user <upn>', 'the Entra user principal name')
      .option(
        '--assign',
        'assign the user to the enterprise app first (User role; undone by iam2sso rollback RUN)',
        false,
      )
      .option('--app-name <name>', 'enterprise app display name', DEFAULT_APP_NAME)
      .option('--dry-run', 'print the writes it would make without making them', false)
      .option('--state <path>', 'state database (the journal of the run)', DEFAULT_STATE_PATH),
  ).action(async (flags: ProvisionFlags) => (await import('./entra-run.js')).runProvisionCommand(flags, io));
  registerHarden(entra, io, connectionOptions);
}
