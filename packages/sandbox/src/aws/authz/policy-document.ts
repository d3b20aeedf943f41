/**
 * IAM policy documents compiled for evaluation: Effect, Action/NotAction, Resource/NotResource and Condition,
 * with the wildcard rules of the IAM policy grammar. Compiled once per document text and cached.
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html and
 * reference_policies_elements_resource.html (`*` any run of characters, `?` one; actions are case-insensitive,
 * resources case-sensitive).
 */
import { conditionsHold, type RequestContext, substituteVariables } from './conditions.js';
import { globRegex } from './glob.js';

type Matcher = { patterns: string[]; negated: boolean };

/** One statement, ready to match. */
export type CompiledStatement = {
  effect: 'Allow' | 'Deny';
  actions: Matcher & { regexes: RegExp[] };
  resources: Matcher;
  condition?: Record<string, Record<string, unknown>>;
};

/** What a request asks: the action (`iam:CreateUser`), the resource ARN (or `*`) and the condition keys. */
export type AuthzRequest = { action: string; resource: string; context: RequestContext };

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function compileStatement(raw: Record<string, unknown>): CompiledStatement | undefined {
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') return undefined;
  const actionNegated = raw.Action === undefined && raw.NotAction !== undefined;
  const actionPatterns = strings(actionNegated ? raw.NotAction : raw.Action);
  const resourceNegated = raw.Resource === undefined && raw.NotResource !== undefined;
  // A statement without Resource (SCPs before 2025 required it; identity policies do) is read as Resource "*".
  const resourcePatterns =
    raw.Resource === undefined && raw.NotResource === undefined
      ? ['*']
      : strings(resourceNegated ? raw.NotResource : raw.Resource);
  const condition =
    raw.Condition && typeof raw.Condition === 'object' ? (raw.Condition as CompiledStatement['condition']) : undefined;
  return {
    effect: raw.Effect,
    actions: {
      patterns: actionPatterns,
      negated: actionNegated,
      regexes: actionPatterns.map((p) => globRegex(p, true)),
    },
    resources: { patterns: resourcePatterns, negated: resourceNegated },
    condition,
  };
}

const compiledCache = new Map<string, CompiledStatement[]>();

/** The statements of a policy document (JSON text); unreadable documents have none (they allow nothing). */
export function compilePolicy(text: string): CompiledStatement[] {
  let compiled = compiledCache.get(text);
  if (compiled) return compiled;
  compiled = [];
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    const list = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
    for (const s of list) {
      const statement = s && typeof s === 'object' ? compileStatement(s as Record<string, unknown>) : undefined;
      if (statement) compiled.push(statement);
    }
  } catch {
    // an unreadable document grants nothing
  }
  if (compiledCache.size > 5_000) compiledCache.clear();
  compiledCache.set(text, compiled);
  return compiled;
}

function actionMatches(statement: CompiledStatement, action: string): boolean {
  const hit = statement.actions.regexes.some((r) => r.test(action));
  return statement.actions.negated ? !hit : hit;
}

function resourceMatches(statement: CompiledStatement, request: AuthzRequest): boolean {
  let hit = false;
  for (const pattern of statement.resources.patterns) {
    if (pattern === '*') {
      hit = true;
      break;
    }
    const expanded = pattern.includes('${') ? substituteVariables(pattern, request.context) : pattern;
    if (expanded !== undefined && globRegex(expanded).test(request.resource)) {
      hit = true;
      break;
    }
  }
  return statement.resources.negated ? !hit : hit;
}

/** Whether a statement applies to the request (action, resource and every condition). */
export function statementApplies(statement: CompiledStatement, request: AuthzRequest): boolean {
  return (
    actionMatches(statement, request.action) &&
    resourceMatches(statement, request) &&
    (statement.condition === undefined || conditionsHold(statement.condition, request.context))
  );
}

/** What a set of documents says about the request: an explicit deny, an allow, or nothing. */
export function evaluateDocuments(documents: readonly string[], request: AuthzRequest): 'deny' | 'allow' | 'none' {
  let allowed = false;
  for (const text of documents) {
    for (const statement of compilePolicy(text)) {
      if (!statementApplies(statement, request)) continue;
      if (statement.effect === 'Deny') return 'deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'none';
}
