/** `iam2sso audit`: every IAM user in every account, classified, with findings, stored as a snapshot. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { AuditFlags } from './audit-run.js';
import type { Io } from './io.js';
import { parseIntFlag, parseUrlFlag } from './parse.js';

function parseAccounts(value: string): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids.filter((id) => !/^\d{12}$/.test(id));
  if (ids.length === 0 || bad.length)
    throw new UsageError(`--accounts takes 12-digit account ids separated by commas, not "${bad.join(',') || value}"`);
  return ids;
}

export function registerAudit(program: Command, io: Io): void {
  program
    .command('audit')
    .description('inventory every IAM user in every account, classify them and list findings')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--assume-role <name>', 'role to assume in member accounts', 'OrganizationAccountAccessRole')
    .option('--accounts <ids>', 'only these account ids (comma-separated)', parseAccounts)
    .option('--concurrency <n>', 'accounts audited at once', parseIntFlag('--concurrency', 1, 64), 8)
    .option(
      '--endpoint-url <url>',
      'AWS endpoint for every service (AWS_ENDPOINT_URL also works)',
      parseUrlFlag('--endpoint-url'),
    )
    .option('--activity', 'read CloudTrail user agents for users whose keys are in use (one call each)', false)
    .option('--activity-days <n>', 'CloudTrail look-back for --activity', parseIntFlag('--activity-days', 1, 90), 90)
    .option(
      '--key-ids',
      'list access key ids (one ListAccessKeys per user with keys); without it keys are named key-1/key-2 by their credential report slot',
      false,
    )
    .option('--ssh-keys', 'also list SSH public keys (one call per user; CodeCommit only)', false)
    .option('--no-progress', 'no progress output on stderr')
    .option('--json', 'print the summary as JSON', false)
    .action(async (flags: AuditFlags) => (await import('./audit-run.js')).runAudit(flags, io));
}
