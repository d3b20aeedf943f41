/** `iam2sso inventory`: the user inventory of an audit run as a table, JSON, CSV or XLSX. */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { InventoryFlags } from './inventory-run.js';
import type { Io } from './io.js';

export function registerInventory(program: Command, io: Io): void {
  program
    .command('inventory')
    .description('one row per IAM user: category, policies, groups, console, MFA, keys, findings')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--run <id>', 'audit run (default: the newest)')
    .option('--format <format>', 'table, json, csv or xlsx', 'table')
    .option('--out <file>', 'write to a file instead of stdout (required for xlsx)')
    .option('--json', 'same as --format json', false)
    .option('--allow-partial', 'exit 0 even when the audit run did not read every account completely', false)
    .action(async (flags: InventoryFlags) => (await import('./inventory-run.js')).runInventory(flags, io));
}
