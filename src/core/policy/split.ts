/**
 * Packs a merged policy's statements into as few inline policies as fit AWS's limits. Deny statements go
 * into every part (a Deny only restricts the role it is attached to); Allow statements too large on their
 * own are cut into several by their action lists.
 */
import { policyJson, type Statement } from './document.js';
import { measureInlinePolicy } from './size.js';

/** The parts (each fits), or why it cannot be done. */
export type SplitResult =
  | { ok: true; parts: Statement[][] }
  | { ok: false; id: 'policy.deny-too-large' | 'policy.statement-too-large'; message: string };

/** Splits `statements` into inline policies that each fit the limits. */
export function splitStatements(statements: Statement[]): SplitResult {
  if (fits(statements)) return { ok: true, parts: [statements] };
  const denies = statements.filter((s) => s.effect === 'Deny');
  if (denies.length > 0 && !fits(denies)) {
    return {
      ok: false,
      id: 'policy.deny-too-large',
      message: `the Deny statements alone need ${measure(denies)} non-whitespace characters (limit 10,240)`,
    };
  }
  const allows: Statement[] = [];
  for (const s of statements.filter((st) => st.effect === 'Allow')) {
    if (fits([...denies, s])) allows.push(s);
    else {
      const pieces = cutStatement(s, denies);
      if (!pieces) {
        return {
          ok: false,
          id: 'policy.statement-too-large',
          message: `a statement does not fit even with one action (${measure([s])} characters)`,
        };
      }
      allows.push(...pieces);
    }
  }
  const parts: Statement[][] = [];
  let current: Statement[] = [...denies];
  for (const s of allows) {
    if (fits([...current, s])) current.push(s);
    else {
      parts.push(current);
      current = [...denies, s];
    }
  }
  parts.push(current);
  return { ok: true, parts };
}

function cutStatement(s: Statement, denies: Statement[]): Statement[] | null {
  const list = s.actions ?? [];
  if (list.length < 2) return null;
  const out: Statement[] = [];
  let chunk: string[] = [];
  for (const a of list) {
    const next = [...chunk, a];
    if (fits([...denies, { ...s, actions: next }])) chunk = next;
    else {
      if (chunk.length === 0) return null;
      out.push({ ...s, actions: chunk });
      chunk = [a];
    }
  }
  if (chunk.length > 0) out.push({ ...s, actions: chunk });
  return out;
}

function fits(statements: Statement[]): boolean {
  return measureInlinePolicy(policyJson(statements)).fits;
}

function measure(statements: Statement[]): number {
  return measureInlinePolicy(policyJson(statements)).nonWhitespace;
}
