/** The work behind `iam2sso inventory`, loaded only when it runs. */
import { ExitCode, UsageError } from '../errors.js';
import { inventoryCsv } from '../report/csv.js';
import { buildInventoryRows, describeKey, unreadAccounts } from '../report/inventory-rows.js';
import { textTable } from '../report/text-table.js';
import { type Io, writeOutputFile } from './io.js';
import { loadRunOrFail } from './load-run.js';

type Format = 'table' | 'json' | 'csv' | 'xlsx';
export type InventoryFlags = {
  state: string;
  run?: string;
  format: Format;
  out?: string;
  json: boolean;
  /** Exit 0 even when the run did not read every account completely. */
  allowPartial: boolean;
};

/** Writes the inventory of the chosen run in the chosen format. */
export async function runInventory(flags: InventoryFlags, io: Io): Promise<void> {
  const format: Format = flags.json ? 'json' : flags.format;
  if (!['table', 'json', 'csv', 'xlsx'].includes(format))
    throw new UsageError(`--format takes table, json, csv or xlsx, not "${format}"`);
  if (format === 'xlsx' && !flags.out) throw new UsageError('--format xlsx needs --out FILE');
  const run = await loadRunOrFail(flags.state, flags.run);
  const rows = buildInventoryRows(run);
  const unread = unreadAccounts(run);
  let body: string | Buffer;
  if (format === 'xlsx') body = await (await import('../report/xlsx.js')).inventoryXlsx(run, rows);
  else if (format === 'csv') body = inventoryCsv(rows);
  else if (format === 'json')
    body = `${JSON.stringify({ runId: run.snapshot.runId, takenAt: run.snapshot.takenAt, complete: unread.length === 0, unread, rows }, null, 2)}\n`;
  else
    body = `${textTable(
      ['User', 'Account', 'Category', 'Conf.', 'Console', 'MFA', 'Keys', 'Findings'],
      rows.map((r) => [
        r.userName,
        r.accountName,
        r.category,
        r.confidence,
        r.consoleEnabled ? (r.passwordLastUsed?.slice(0, 10) ?? 'never used') : 'no',
        r.mfa ? 'yes' : r.unknown.includes('mfaDevices') ? 'unknown' : 'no',
        r.accessKeys
          .filter((k) => k.status === 'Active')
          .map(describeKey)
          .join(' | ') || '-',
        String(r.findings.length),
      ]),
      48,
    )}\n`;
  if (flags.out) {
    writeOutputFile(flags.out, body);
    io.err(`${rows.length} users from ${run.snapshot.runId} written to ${flags.out}`);
  } else io.out(typeof body === 'string' ? body : body.toString('utf8'));
  if (unread.length === 0) return;
  if (format !== 'json') {
    io.err(`${run.snapshot.runId} did not read every account completely:`);
    for (const a of unread) for (const r of a.reads) io.err(`  ${a.accountId} ${a.name}: ${r}`);
  }
  if (!flags.allowPartial)
    throw new ExitCode(
      1,
      `error: the inventory is incomplete (${unread.length} account${unread.length === 1 ? '' : 's'} not fully read); ` +
        'fix the cause and run `iam2sso audit` again, or pass --allow-partial to accept it',
    );
}
