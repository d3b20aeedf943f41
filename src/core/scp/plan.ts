/**
 * What `scp apply` changes: the desired SCP against the live one (by name) and its target, with the quota checks
 * made before anything is attached, and a refusal when a policy of that name exists that iam2sso does not own. Pure.
 */
import type { OrgChange } from '../reconcile/changes-org.js';
import { checkScpQuotas, SCP_NAME, type ScpProblem } from './document.js';

/** The live SCP of iam2sso's name, as read. */
export type LiveScp = { id: string; content: string; description: string; targets: string[]; owned: boolean };

/** The target and the SCPs attached to it directly (ids). */
export type ScpTarget = { id: string; attached: string[] };

/** The outcome of planning: the changes, or why none may be made. */
export type ScpPlan = { changes: OrgChange[]; problems: ScpProblem[]; refusal: string | null };

/** The description iam2sso writes on its SCP (also what marks it in the console). */
export const SCP_DESCRIPTION = 'iam2sso: deny creating IAM users, passwords and access keys (break-glass excepted)';

/** Plans the changes that make `content` the SCP attached to `target`. */
export function planScp(content: string, live: LiveScp | null, target: ScpTarget): ScpPlan {
  if (live && !live.owned) {
    return {
      changes: [],
      problems: [],
      refusal: `an SCP named ${SCP_NAME} (${live.id}) exists and was not created by iam2sso: rename or delete it, or adopt it with \`iam2sso adopt scp ${SCP_NAME}\``,
    };
  }
  const oursAttached = !!live && target.attached.includes(live.id);
  const problems = checkScpQuotas(content, { id: target.id, attached: target.attached.length, oursAttached });
  if (problems.length) return { changes: [], problems, refusal: null };
  const changes: OrgChange[] = [];
  if (!live) changes.push({ kind: 'scp.create', name: SCP_NAME, description: SCP_DESCRIPTION, content });
  else if (live.content !== content)
    changes.push({ kind: 'scp.update', name: SCP_NAME, content, previous: live.content });
  if (!oursAttached) changes.push({ kind: 'scp.attach', name: SCP_NAME, targetId: target.id });
  return { changes, problems, refusal: null };
}

/** The `- +` lines of a document change, one statement member per line, for people to review. */
export function scpDocumentDiff(before: string | null, after: string): string[] {
  const lines = (text: string | null) => (text ? JSON.stringify(JSON.parse(text), null, 2).split('\n') : []);
  const old = lines(before);
  const now = lines(after);
  const gone = new Set(now);
  const added = new Set(old);
  return [
    ...old.filter((l) => !gone.has(l)).map((l) => `- ${l}`),
    ...now.map((l) => (added.has(l) ? `  ${l}` : `+ ${l}`)),
  ];
}

/** Whether the live SCP shows the change in place (a killed run's call went through). */
export function scpTookEffect(c: OrgChange, live: LiveScp | null): boolean {
  switch (c.kind) {
    case 'scp.create':
      return live !== null;
    case 'scp.update':
      return live?.content === c.content;
    case 'scp.delete':
      return live === null;
    case 'scp.attach':
      return !!live?.targets.includes(c.targetId);
    case 'scp.detach':
      return !live?.targets.includes(c.targetId);
  }
}
