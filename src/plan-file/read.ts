/**
 * Reads `migration-plan.yaml` (or the JSON form): YAML errors and validation problems are all reported
 * together with their line numbers; policies written as indented JSON blocks come back minified.
 */
import { readFileSync } from 'node:fs';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { MigrationPlan } from '../core/plan-types.js';
import { validatePlanObject } from './validate.js';

/** A problem in a plan file: where and what. */
export type PlanFileProblem = { file: string; line?: number; message: string };

/** The plan, or every problem found in the text. */
export type PlanRead = { plan: MigrationPlan; problems: [] } | { plan: null; problems: PlanFileProblem[] };

/** Parses and validates plan text. `strict` (apply) also checks that every referenced permission set exists. */
export function parsePlanText(text: string, file: string, options: { quota: number; strict: boolean }): PlanRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = [...doc.errors].map((e) => ({
    file,
    line: lines.linePos(e.pos[0]).line,
    message: e.message.split('\n')[0],
  }));
  if (syntax.length > 0) return { plan: null, problems: syntax };
  const raw = doc.toJS() as unknown;
  const found = validatePlanObject(raw, { ...options, file });
  if (found.length > 0) return { plan: null, problems: locatePlanProblems(text, file, found) };
  return { plan: normalize(raw as MigrationPlan), problems: [] };
}

/**
 * Places problems found later (against the live state, e.g. an `adopt:` entry naming no object) at their lines in
 * the plan text, as the file's own validation does.
 */
export function locatePlanProblems(
  text: string,
  file: string,
  found: { path: (string | number)[]; message: string }[],
): PlanFileProblem[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  return found.map((p) => {
    const offset = offsetOf(doc, p.path);
    return {
      file,
      line: offset === undefined ? undefined : lines.linePos(offset).line,
      message: `${pathText(p.path)}: ${p.message}`,
    };
  });
}

/** Reads and validates a plan file. */
export function readPlanFile(path: string, options: { quota: number; strict: boolean }): PlanRead {
  return parsePlanText(readFileSync(path, 'utf8'), path, options);
}

function normalize(plan: MigrationPlan): MigrationPlan {
  const minify = (t: string | null | undefined) => (t ? JSON.stringify(JSON.parse(t)) : null);
  return {
    ...plan,
    permissionSets: (plan.permissionSets ?? []).map((p) => ({
      ...p,
      managedPolicies: p.managedPolicies ?? [],
      customerManagedPolicies: p.customerManagedPolicies ?? [],
      inlinePolicy: minify(p.inlinePolicy),
      permissionsBoundary: p.permissionsBoundary ?? null,
    })),
    groups: plan.groups ?? [],
    users: (plan.users ?? []).map((u) => ({
      ...u,
      upn: u.upn ?? null,
      parity: {
        gaps: u.parity?.gaps ?? [],
        excess: u.parity?.excess ?? [],
        needsReview: u.parity?.needsReview ?? [],
        acknowledged: u.parity?.acknowledged ?? [],
      },
    })),
    serviceAccounts: (plan.serviceAccounts ?? []).map((s) => ({
      ...s,
      trustPolicy: minify(s.trustPolicy),
      policy: minify(s.policy),
    })),
    problems: plan.problems ?? [],
  };
}

/** Where a path starts in the text: the key's line for `key: value`, else the nearest node that exists. */
function offsetOf(doc: Document, path: (string | number)[]): number | undefined {
  const last = path.at(-1);
  if (typeof last === 'string') {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((i) => isScalar(i.key) && i.key.value === last);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  let node: unknown = doc.getIn(path, true);
  for (let n = path.length - 1; !isNode(node) && n >= 0; n--) node = doc.getIn(path.slice(0, n), true);
  return isNode(node) && node.range ? node.range[0] : undefined;
}

function pathText(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'plan';
}
