/** The body of `iam2sso dashboard`: starts the server, prints the URL with its access token, serves until Ctrl-C. */
import { spawn } from 'node:child_process';
import { startDashboard } from '../dashboard/server.js';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

/** Starts the dashboard and resolves when it is stopped (SIGINT or SIGTERM). */
export async function runDashboard(
  flags: { state: string; plan: string; host: string; port: string; open: boolean },
  io: Io,
): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${flags.port}: give a port number from 0 to 65535`);
  const running = await startDashboard({ statePath: flags.state, planPath: flags.plan, host: flags.host, port }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        throw new UsageError(`port ${port} on ${flags.host} is taken: pass another --port`);
      if (error.code === 'EADDRNOTAVAIL')
        throw new UsageError(`cannot listen on ${flags.host}: not an address of this machine`);
      throw error;
    },
  );
  if (!['127.0.0.1', '::1', 'localhost'].includes(flags.host))
    io.err(`warning: listening on ${flags.host}, not loopback; the access token is the only protection.`);
  io.out(`Dashboard: ${running.url}`);
  io.err(
    'Read-only over the state database; it refreshes when audit, apply, sync or track write to it. Ctrl-C stops it.',
  );
  if (flags.open) {
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    spawn(opener, [running.url], { stdio: 'ignore', detached: true }).on('error', () => {
      io.err(`could not start a browser (${opener}); open the URL above yourself`);
    });
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
