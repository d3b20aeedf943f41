/**
 * `iam2sso rollback RUN` for the runs of commands that have a rollback of their own (`breakglass rollback`,
 * `replace --rollback`, `scp --rollback`, `decommission --rollback`): the same work, for that run, so one command
 * undoes any run. The dedicated commands stay as they are.
 */
import { resolveAwsSettings } from '../aws/clients.js';
import { createIamChangePorts } from '../iam-changes/runtime.js';
import type { StateDb } from '../store/db.js';
import { type Io, printJson } from './io.js';
import type { RollbackFlags } from './rollback-run.js';

/** The commands whose runs `rollback` hands to their own rollback. */
export type OwnRollbackCommand = 'breakglass' | 'replace' | 'scp' | 'decommission' | 'decommission-saml';

const OWN: ReadonlySet<string> = new Set<OwnRollbackCommand>([
  'breakglass',
  'replace',
  'scp',
  'decommission',
  'decommission-saml',
]);

/** True when runs of `command` are undone by that command's own rollback. */
export function hasOwnRollback(command: string): command is OwnRollbackCommand {
  return OWN.has(command);
}

/** Rolls back `target`, a run of `command`; the database is open and closed by the caller. */
export async function rollbackOwnRun(
  db: StateDb,
  command: OwnRollbackCommand,
  target: string,
  flags: RollbackFlags,
  io: Io,
): Promise<void> {
  const assumeRole = flags.assumeRole ?? 'OrganizationAccountAccessRole';
  if (command === 'scp') {
    const { rollbackScp } = await import('./scp-run.js');
    return rollbackScp(flags, io, target);
  }
  if (command === 'decommission') {
    const { rollbackDecommissionRun } = await import('./decommission-rollback.js');
    return rollbackDecommissionRun(db, target, { ...flags, plan: '', assumeRole }, io);
  }
  if (command === 'decommission-saml') {
    const { rollbackSamlRun } = await import('./decommission-saml-io.js');
    return rollbackSamlRun(db, target, { ...flags, assumeRole }, io);
  }
  const { rollbackIamRun } = await import('./iam-changes-run.js');
  const settings = await resolveAwsSettings(flags, { note: (line) => io.err(line) });
  const ports = createIamChangePorts(settings, assumeRole);
  try {
    const out = await rollbackIamRun(target, { db, ports, flags, io });
    if (flags.json) printJson(io, { run: out.runId, target, undone: out.undone, refused: out.refused });
    else io.err(`Rollback of ${target}: ${out.undone} undone, ${out.refused.length} refused.`);
  } finally {
    ports.close();
  }
}
