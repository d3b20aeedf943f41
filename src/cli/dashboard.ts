/** `iam2sso dashboard`: the migration at a glance in a browser, served locally over the state database. */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { Io } from './io.js';
import { DEFAULT_PLAN_FILE } from './plan.js';

type DashboardFlags = { state: string; plan: string; host: string; port: string; open: boolean };

export function registerDashboard(program: Command, io: Io): void {
  program
    .command('dashboard')
    .description('serve a read-only dashboard of the migration on localhost (overview, people, findings, plan, runs)')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--plan <file>', 'plan file', DEFAULT_PLAN_FILE)
    .option('--host <address>', 'address to listen on (keep it on loopback unless you mean otherwise)', '127.0.0.1')
    .option('--port <n>', 'port (0: a free one)', '0')
    .option('--open', 'open the dashboard in the default browser', false)
    .action(async (flags: DashboardFlags) => {
      const { runDashboard } = await import('./dashboard-run.js');
      await runDashboard(flags, io);
    });
}
