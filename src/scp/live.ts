/**
 * Reads what `scp` decides from: the organization's root (and whether SCPs are enabled), the management account,
 * iam2sso's SCP (by name, with its document and targets, and whether iam2sso owns it) and the SCPs attached to the
 * target. Also the port wrapper a dry run uses: writes become log lines.
 */
import type { ScpPort } from '../aws/organizations-scp.js';
import { SCP_OBJECT } from '../core/reconcile/changes-org.js';
import { SCP_NAME } from '../core/scp/document.js';
import type { LiveScp, ScpTarget } from '../core/scp/plan.js';
import { UsageError } from '../errors.js';

/** The live state `scp plan|apply` works from. */
export type ScpLive = {
  rootId: string;
  managementAccountId: string;
  live: LiveScp | null;
  target: ScpTarget;
  /** Name to id of the SCPs the performer acts on (filled in as creates succeed). */
  ids: Map<string, string>;
};

/** The target id a `--target` value names: ROOT (the organization's root), an OU id or an account id. */
export function resolveTarget(value: string, rootId: string): string {
  if (value.toUpperCase() === 'ROOT') return rootId;
  if (/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/.test(value)) return value;
  throw new UsageError(`--target ${value}: expected ROOT, an OU id (ou-...) or a 12-digit account id`);
}

/** Reads the live state for a target (`--target` value). */
export async function readScpLive(
  port: ScpPort,
  targetFlag: string,
  ownership: { isOwned(ref: { kind: typeof SCP_OBJECT; key: string }): boolean },
): Promise<ScpLive> {
  const [root, managementAccountId, scps] = await Promise.all([
    port.root(),
    port.managementAccountId(),
    port.listScps(),
  ]);
  if (!root.scpEnabled)
    throw new UsageError(
      `service control policies are not enabled in the organization: enable them first (\`aws organizations enable-policy-type --root-id ${root.id} --policy-type SERVICE_CONTROL_POLICY\`), then run this again`,
    );
  const targetId = resolveTarget(targetFlag, root.id);
  const mine = scps.find((p) => p.name === SCP_NAME && !p.awsManaged);
  const [attached, described, targets] = await Promise.all([
    port.attachedTo(targetId),
    mine ? port.describe(mine.id) : Promise.resolve(null),
    mine ? port.targetsOf(mine.id) : Promise.resolve([]),
  ]);
  const live: LiveScp | null =
    mine && described
      ? {
          id: mine.id,
          content: described.content,
          description: described.description,
          targets,
          owned: ownership.isOwned({ kind: SCP_OBJECT, key: SCP_NAME }),
        }
      : null;
  const ids = new Map<string, string>(mine ? [[SCP_NAME, mine.id]] : []);
  return { rootId: root.id, managementAccountId, live, target: { id: targetId, attached }, ids };
}

/** The port with its writes replaced by lines in `writes` (reads go through). */
export function dryRunScpPort(port: ScpPort, writes: string[]): ScpPort {
  return {
    ...port,
    async create(name) {
      writes.push(`organizations:CreatePolicy ${name}`);
      return `p-dryrun-${name}`;
    },
    async update(id) {
      writes.push(`organizations:UpdatePolicy ${id}`);
    },
    async remove(id) {
      writes.push(`organizations:DeletePolicy ${id}`);
    },
    async attach(id, targetId) {
      writes.push(`organizations:AttachPolicy ${id} -> ${targetId}`);
    },
    async detach(id, targetId) {
      writes.push(`organizations:DetachPolicy ${id} -> ${targetId}`);
    },
  };
}
