/** `iam2sso permissions`: the least-privilege AWS policies and Graph permissions each command needs. */
import type { Command } from 'commander';
import { PERMISSION_COMMANDS, type PermissionCommand } from '../aws/required-permissions.js';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

/** The flags of `iam2sso permissions`. */
export type PermissionsFlags = {
  for?: PermissionCommand[];
  format: 'text' | 'json' | 'terraform';
  assumeRole: string;
  partition: string;
  json: boolean;
  /** The plan whose identitySource decides apply's permissions (default: migration-plan.yaml if present). */
  plan?: string;
};

function parseCommands(value: string): PermissionCommand[] {
  const names = value.split(',').map((s) => s.trim());
  const bad = names.filter((n) => !(PERMISSION_COMMANDS as readonly string[]).includes(n));
  if (bad.length || names.length === 0)
    throw new UsageError(`--for takes ${PERMISSION_COMMANDS.join(', ')} (comma-separated), not "${bad.join(',')}"`);
  return names as PermissionCommand[];
}

function parseFormat(value: string): PermissionsFlags['format'] {
  if (value === 'text' || value === 'json' || value === 'terraform') return value;
  throw new UsageError(`--format takes text, json or terraform, not "${value}"`);
}

function parsePartition(value: string): string {
  if (!/^aws(-us-gov|-cn|-iso|-iso-b)?$/.test(value))
    throw new UsageError(`--partition takes aws, aws-us-gov or aws-cn, not "${value}"`);
  return value;
}

/** Registers `iam2sso permissions`. */
export function registerPermissions(program: Command, io: Io): void {
  program
    .command('permissions')
    .description(
      'the least-privilege IAM policies (management account, member-account role) and Microsoft Graph application permissions a command needs',
    )
    .option(
      '--for <commands>',
      `only for these commands: ${PERMISSION_COMMANDS.join(', ')} (default: all)`,
      parseCommands,
    )
    .option('--format <format>', 'text, json or terraform (aws_iam_policy resources)', parseFormat, 'text')
    .option('--assume-role <name>', 'the role assumed in member accounts', 'OrganizationAccountAccessRole')
    .option('--partition <partition>', 'the partition of the ARNs: aws, aws-us-gov or aws-cn', parsePartition, 'aws')
    .option(
      '--plan <file>',
      'the plan whose identitySource decides what apply needs (iam2sso-sync, scim, external; default: migration-plan.yaml if present)',
    )
    .option('--json', 'same as --format json', false)
    .action(async (flags: PermissionsFlags) => (await import('./permissions-run.js')).runPermissions(flags, io));
}
