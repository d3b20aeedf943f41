/** `iam2sso report`: the audit as one self-contained HTML file with charts, to open from disk. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import { type Io, printJson } from './io.js';
import { DEFAULT_PLAN_FILE } from './plan.js';

type ReportFlags = { state: string; run?: string; out: string; plan: string; json: boolean };

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('write the audit as a self-contained HTML report with charts')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--run <id>', 'audit run (default: the newest)')
    .option('--out <dir>', 'directory to write the report into', '.iam2sso/report')
    .option('--plan <file>', 'plan file for the migration views', DEFAULT_PLAN_FILE)
    .option('--json', 'print the written paths as JSON', false)
    .action(async (flags: ReportFlags) => {
      const { loadRunOrFail } = await import('./load-run.js');
      const { renderHtmlReport } = await import('../report/html-report.js');
      const run = await loadRunOrFail(flags.state, flags.run);
      mkdirSync(flags.out, { recursive: true });
      const file = resolve(join(flags.out, `${run.snapshot.runId}.html`));
      writeFileSync(file, renderHtmlReport(run));
      // The dashboard's views (overview, people, findings, plan, runs) as one file to share.
      const { openReadOnly } = await import('../dashboard/state.js');
      const { renderStaticDashboard } = await import('../dashboard/static.js');
      const db = openReadOnly(flags.state);
      const migration = resolve(join(flags.out, `migration-${run.snapshot.runId}.html`));
      try {
        writeFileSync(migration, await renderStaticDashboard(db, flags.plan, new Date()));
      } finally {
        db.close();
      }
      if (flags.json) printJson(io, { runId: run.snapshot.runId, file, migration });
      else io.out(`Report written to ${file}, migration views to ${migration} (open them in a browser)`);
    });
}
