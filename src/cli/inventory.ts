/** `iam2sso inventory`: the user inventory of an audit run as a table, JSON, CSV or XLSX. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { inventoryCsv } from '../report/csv.js';
import { buildInventoryRows, describeKey } from '../report/inventory-rows.js';
import { textTable } from '../report/text-table.js';
import { type AuditRun, loadAuditRun } from '../store/audit-repo.js';
import { DEFAULT_STATE_PATH, openStateDb } from '../store/db.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

type Format = 'table' | 'json' | 'csv' | 'xlsx';
type InventoryFlags = { state: string; run?: string; format: Format; out?: string; json: boolean };

/** Loads a stored audit run or fails with a usage error that says what to run first. */
export async function loadRunOrFail(statePath: string, runId?: string): Promise<AuditRun> {
  const db = await openStateDb(statePath);
  try {
    const run = loadAuditRun(db, runId);
    if (!run)
      throw new UsageError(
        runId ? `no audit run ${runId} in ${statePath}` : `no audit in ${statePath} yet: run \`iam2sso audit\` first`,
      );
    return run;
  } finally {
    db.close();
  }
}

export function registerInventory(program: Command, io: Io): void {
  program
    .command('inventory')
    .description('one row per IAM user: category, policies, groups, console, MFA, keys, findings')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--run <id>', 'audit run (default: the newest)')
    .option('--format <format>', 'table, json, csv or xlsx', 'table')
    .option('--out <file>', 'write to a file instead of stdout (required for xlsx)')
    .option('--json', 'same as --format json', false)
    .action(async (flags: InventoryFlags) => {
      const format: Format = flags.json ? 'json' : flags.format;
      if (!['table', 'json', 'csv', 'xlsx'].includes(format))
        throw new UsageError(`--format takes table, json, csv or xlsx, not "${format}"`);
      if (format === 'xlsx' && !flags.out) throw new UsageError('--format xlsx needs --out FILE');
      const run = await loadRunOrFail(flags.state, flags.run);
      const rows = buildInventoryRows(run);
      let body: string | Buffer;
      if (format === 'xlsx') body = await (await import('../report/xlsx.js')).inventoryXlsx(run, rows);
      else if (format === 'csv') body = inventoryCsv(rows);
      else if (format === 'json')
        body = `${JSON.stringify({ runId: run.snapshot.runId, takenAt: run.snapshot.takenAt, rows }, null, 2)}\n`;
      else
        body = `${textTable(
          ['User', 'Account', 'Category', 'Conf.', 'Console', 'MFA', 'Keys', 'Findings'],
          rows.map((r) => [
            r.userName,
            r.accountName,
            r.category,
            r.confidence,
            r.consoleEnabled ? (r.passwordLastUsed?.slice(0, 10) ?? 'never used') : 'no',
            r.mfa ? 'yes' : 'no',
            r.accessKeys
              .filter((k) => k.status === 'Active')
              .map(describeKey)
              .join(' | ') || '-',
            String(r.findings.length),
          ]),
          48,
        )}\n`;
      if (flags.out) {
        writeFileSync(flags.out, body);
        io.err(`${rows.length} users from ${run.snapshot.runId} written to ${flags.out}`);
      } else io.out(typeof body === 'string' ? body : body.toString('utf8'));
    });
}
