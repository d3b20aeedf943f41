/**
 * IAM policy documents: parsing (string or array forms, URL-encoded text from the IAM API), normalized
 * statements, and the canonical JSON used for hashing, merging and size accounting.
 */

/** The JSON shape of a policy condition block: operator → key → value(s). */
export type ConditionBlock = Record<string, Record<string, unknown>>;

/** One statement with every list-or-string field made a list, or null when absent. */
export type Statement = {
  sid: string | null;
  effect: 'Allow' | 'Deny';
  actions: string[] | null;
  notActions: string[] | null;
  resources: string[] | null;
  notResources: string[] | null;
  condition: ConditionBlock | null;
};

/** A parsed policy: its statements, and what was wrong with it (the rest still parses). */
export type ParsedPolicy = { version: string; statements: Statement[]; problems: PolicyProblem[] };

/** Something in a document that could not be understood. */
export type PolicyProblem = { id: 'policy.invalid-json' | 'policy.invalid-statement'; message: string };

/** Parses a policy document given as JSON text (URL-encoded text is decoded first). */
export function parsePolicyDocument(text: string): ParsedPolicy {
  let raw: unknown;
  try {
    const trimmed = text.trim();
    raw = JSON.parse(trimmed.startsWith('%7B') || trimmed.startsWith('%7b') ? decodeURIComponent(trimmed) : trimmed);
  } catch (error) {
    return {
      version: '2012-10-17',
      statements: [],
      problems: [{ id: 'policy.invalid-json', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  return parsePolicyObject(raw);
}

/** Parses an already decoded policy document. */
export function parsePolicyObject(raw: unknown): ParsedPolicy {
  const problems: PolicyProblem[] = [];
  if (!isObject(raw)) {
    return {
      version: '2012-10-17',
      statements: [],
      problems: [{ id: 'policy.invalid-json', message: 'not an object' }],
    };
  }
  const version = typeof raw.Version === 'string' ? raw.Version : '2012-10-17';
  const list = Array.isArray(raw.Statement) ? raw.Statement : raw.Statement === undefined ? [] : [raw.Statement];
  const statements: Statement[] = [];
  list.forEach((s, i) => {
    const statement = parseStatement(s);
    if (typeof statement === 'string')
      problems.push({ id: 'policy.invalid-statement', message: `statement ${i + 1}: ${statement}` });
    else statements.push(statement);
  });
  return { version, statements, problems };
}

function parseStatement(raw: unknown): Statement | string {
  if (!isObject(raw)) return 'not an object';
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') return 'Effect must be Allow or Deny';
  const actions = stringList(raw.Action);
  const notActions = stringList(raw.NotAction);
  if (!actions === !notActions) return 'needs exactly one of Action and NotAction';
  const resources = stringList(raw.Resource);
  const notResources = stringList(raw.NotResource);
  if (resources && notResources) return 'has both Resource and NotResource';
  const condition = isObject(raw.Condition) ? (raw.Condition as ConditionBlock) : null;
  return {
    sid: typeof raw.Sid === 'string' ? raw.Sid : null,
    effect: raw.Effect,
    actions,
    notActions,
    resources: resources ?? (notResources ? null : ['*']),
    notResources,
    condition: condition && Object.keys(condition).length > 0 ? condition : null,
  };
}

function stringList(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The statement as JSON with a stable key order and single values unwrapped (what AWS stores). */
export function statementJson(s: Statement, withSid = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (withSid && s.sid) out.Sid = s.sid;
  out.Effect = s.effect;
  if (s.actions) out.Action = unwrap(s.actions);
  if (s.notActions) out.NotAction = unwrap(s.notActions);
  if (s.resources) out.Resource = unwrap(s.resources);
  if (s.notResources) out.NotResource = unwrap(s.notResources);
  if (s.condition) out.Condition = sortKeysDeep(s.condition);
  return out;
}

/** Canonical text of a statement without its Sid: equal statements have equal keys. */
export function statementKey(s: Statement): string {
  return JSON.stringify({
    e: s.effect,
    a: s.actions ? sortedUnique(s.actions) : null,
    na: s.notActions ? sortedUnique(s.notActions) : null,
    r: s.resources ? sortedUnique(s.resources) : null,
    nr: s.notResources ? sortedUnique(s.notResources) : null,
    c: s.condition ? sortKeysDeep(s.condition) : null,
  });
}

/** Minified policy JSON for a list of statements. */
export function policyJson(statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => statementJson(s)) });
}

/** Sorted, de-duplicated copy (case-sensitive; actions are compared lowercase elsewhere). */
export function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function unwrap(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

function sortKeysDeep(value: unknown): ConditionBlock {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) out[key] = sort((v as Record<string, unknown>)[key]);
      return out;
    }
    return v;
  };
  return sort(value) as ConditionBlock;
}
