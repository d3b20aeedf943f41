/**
 * The Condition element: the operators the sandbox evaluates and the request's condition keys.
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - several values for one key match if any matches; several keys and several operators must all hold;
 * - a key missing from the request fails a positive operator and satisfies a negated one (`...Not...`);
 * - `...IfExists` holds when the key is missing; `Null: true` holds when it is missing;
 * - `ArnLike`/`ArnEquals` compare the six colon-separated parts of the ARN one by one.
 * Operators outside this list (Numeric*, Date*, IpAddress, Binary) never hold (see packages/sandbox/GUESSES.md).
 */
import { globRegex } from './glob.js';

/** Condition keys of a request, by lower-cased name (keys are case-insensitive); a Map will do. */
export type RequestContext = { get(key: string): string | readonly string[] | undefined };

type Operator = { compare: (actual: string, wanted: string) => boolean; negated: boolean };

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function arnLike(actual: string, wanted: string): boolean {
  const a = arnParts(actual);
  const w = arnParts(wanted);
  return !!a && !!w && a.every((part, i) => globRegex(w[i]).test(part));
}

function arnEquals(actual: string, wanted: string): boolean {
  return actual === wanted;
}

const OPERATORS: Record<string, Operator> = {
  stringequals: { compare: (a, w) => a === w, negated: false },
  stringnotequals: { compare: (a, w) => a === w, negated: true },
  stringequalsignorecase: { compare: (a, w) => a.toLowerCase() === w.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (a, w) => a.toLowerCase() === w.toLowerCase(), negated: true },
  stringlike: { compare: (a, w) => globRegex(w).test(a), negated: false },
  stringnotlike: { compare: (a, w) => globRegex(w).test(a), negated: true },
  arnequals: { compare: arnEquals, negated: false },
  arnnotequals: { compare: arnEquals, negated: true },
  arnlike: { compare: arnLike, negated: false },
  arnnotlike: { compare: arnLike, negated: true },
  bool: { compare: (a, w) => a.toLowerCase() === w.toLowerCase(), negated: false },
};

const VARIABLE = /\$\{([^}]+)\}/g;

/** Replaces `${aws:username}`-style policy variables; undefined when one has no value in the request. */
export function substituteVariables(text: string, context: RequestContext): string | undefined {
  let missing = false;
  const out = text.replace(VARIABLE, (_all, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const value = context.get(name.toLowerCase());
    if (typeof value !== 'string') {
      missing = true;
      return '';
    }
    return value;
  });
  return missing ? undefined : out;
}

function wantedValues(value: unknown, context: RequestContext): string[] {
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v !== 'string' && typeof v !== 'boolean' && typeof v !== 'number') continue;
    const text = typeof v === 'string' && v.includes('${') ? substituteVariables(v, context) : String(v);
    if (text !== undefined) out.push(text);
  }
  return out;
}

function keyHolds(operatorName: string, key: string, wanted: unknown, context: RequestContext): boolean {
  let name = operatorName.toLowerCase();
  let setOperator: 'any' | 'all' | undefined;
  if (name.startsWith('foranyvalue:')) [setOperator, name] = ['any', name.slice(12)];
  else if (name.startsWith('forallvalues:')) [setOperator, name] = ['all', name.slice(13)];
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -8);
  const raw = context.get(key.toLowerCase());
  if (name === 'null') {
    const wantsAbsent = wantedValues(wanted, context).some((v) => v.toLowerCase() === 'true');
    return wantsAbsent === (raw === undefined);
  }
  const operator = OPERATORS[name];
  if (!operator) return false;
  if (raw === undefined) return ifExists || setOperator === 'all' || operator.negated;
  const values = wantedValues(wanted, context);
  const actuals = typeof raw === 'string' ? [raw] : raw;
  const single = (actual: string) => {
    const hit = values.some((w) => operator.compare(actual, w));
    return operator.negated ? !hit : hit;
  };
  return setOperator === 'all' ? actuals.every(single) : actuals.some(single);
}

/** Whether every operator and key of a Condition element holds for the request. */
export function conditionsHold(condition: Record<string, Record<string, unknown>>, context: RequestContext): boolean {
  for (const [operatorName, keys] of Object.entries(condition)) {
    if (!keys || typeof keys !== 'object') return false;
    for (const [key, wanted] of Object.entries(keys)) {
      if (!keyHolds(operatorName, key, wanted, context)) return false;
    }
  }
  return true;
}
