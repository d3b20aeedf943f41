/** `iam2sso report`: the audit as one self-contained HTML file with charts, to open from disk. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ReportPlan } from '../report/html-report.js';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import { type Io, printJson, writeOutputFile } from './io.js';
import { DEFAULT_PLAN_FILE } from './plan.js';

type ReportFlags = { state: string; run?: string; out: string; plan?: string; json: boolean };

/** The plan to show next to the audit: `--plan`, else migration-plan.yaml if present; unreadable ones are noted. */
async function readPlan(flags: ReportFlags, io: Io): Promise<ReportPlan | undefined> {
  const file = flags.plan ?? (existsSync(DEFAULT_PLAN_FILE) ? DEFAULT_PLAN_FILE : undefined);
  if (!file) return undefined;
  const { parsePlanText } = await import('../plan-file/read.js');
  const read = existsSync(file) ? parsePlanText(readFileSync(file, 'utf8'), file, { quota: 25, strict: false }) : null;
  if (read?.plan) return { plan: read.plan, file };
  io.err(
    `note: the plan ${file} is left out of the report: ${read ? `${read.problems.length} problem(s)` : 'no such file'}`,
  );
  return undefined;
}

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('write the audit as a self-contained HTML report with charts (and the plan, when there is one)')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--run <id>', 'audit run (default: the newest)')
    .option('--out <dir>', 'directory to write the report into', '.iam2sso/report')
    .option('--plan <file>', `plan to show next to the audit (default: ${DEFAULT_PLAN_FILE} if present)`)
    .option('--json', 'print the written paths as JSON', false)
    .action(async (flags: ReportFlags) => {
      const { loadRunOrFail } = await import('./load-run.js');
      const { renderHtmlReport } = await import('../report/html-report.js');
      const run = await loadRunOrFail(flags.state, flags.run);
      const plan = await readPlan(flags, io);
      mkdirSync(flags.out, { recursive: true });
      const file = resolve(join(flags.out, `${run.snapshot.runId}.html`));
      writeOutputFile(file, renderHtmlReport(run, plan));
      // The dashboard's views (overview, people, findings, plan, runs) as one file to share.
      const { openReadOnly } = await import('../dashboard/state.js');
      const { renderStaticDashboard } = await import('../dashboard/static.js');
      const { unreadAccounts } = await import('../report/inventory-rows.js');
      const db = await openReadOnly(flags.state);
      const migration = resolve(join(flags.out, `migration-${run.snapshot.runId}.html`));
      try {
        writeOutputFile(migration, await renderStaticDashboard(db, plan?.file ?? DEFAULT_PLAN_FILE, new Date()));
      } finally {
        db.close();
      }
      if (flags.json)
        printJson(io, {
          runId: run.snapshot.runId,
          file,
          migration,
          plan: plan?.file ?? null,
          unread: unreadAccounts(run),
        });
      else io.out(`Report written to ${file}, migration views to ${migration} (open them in a browser)`);
    });
}
