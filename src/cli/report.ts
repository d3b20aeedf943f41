/** `iam2sso report`: the audit as one self-contained HTML file with charts, to open from disk. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import { type Io, printJson, writeOutputFile } from './io.js';

type ReportFlags = { state: string; run?: string; out: string; json: boolean };

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('write the audit as a self-contained HTML report with charts')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--run <id>', 'audit run (default: the newest)')
    .option('--out <dir>', 'directory to write the report into', '.iam2sso/report')
    .option('--json', 'print the written path as JSON', false)
    .action(async (flags: ReportFlags) => {
      const { loadRunOrFail } = await import('./load-run.js');
      const { renderHtmlReport } = await import('../report/html-report.js');
      const run = await loadRunOrFail(flags.state, flags.run);
      mkdirSync(flags.out, { recursive: true });
      const file = resolve(join(flags.out, `${run.snapshot.runId}.html`));
      writeOutputFile(file, renderHtmlReport(run));
      const { unreadAccounts } = await import('../report/inventory-rows.js');
      if (flags.json) printJson(io, { runId: run.snapshot.runId, file, unread: unreadAccounts(run) });
      else io.out(`Report written to ${file} (open it in a browser)`);
    });
}
