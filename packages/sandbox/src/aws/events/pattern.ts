/**
 * EventBridge event pattern matching, as far as alarms on CloudTrail events need it: nested fields, lists of
 * exact values (strings, numbers, booleans, null), and the content filters `prefix`, `suffix`,
 * `equals-ignore-case`, `anything-but` (a value, a list, or a prefix), `exists` and `wildcard`. A field of the
 * event that is a list matches when any of its elements does. Source: "Amazon EventBridge event patterns" and
 * "Content filtering in event patterns" (docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
 * eb-create-pattern-operators.html).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Why a pattern is not valid, or null when it is (the message EventBridge's InvalidEventPatternException gives). */
export function checkPattern(pattern: unknown, path = ''): string | null {
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern))
    return `Event pattern is not valid. Reason: ${path || 'the pattern'} must be an object`;
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (Array.isArray(value)) {
      if (value.length === 0) return `Event pattern is not valid. Reason: Empty arrays are not allowed at ${at}`;
      continue;
    }
    if (value && typeof value === 'object') {
      const problem = checkPattern(value, at);
      if (problem) return problem;
      continue;
    }
    return `Event pattern is not valid. Reason: "${at}" must be an object or an array`;
  }
  return null;
}

function wildcardMatches(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's').test(value);
}

/** One element of a pattern's value list against one scalar of the event. */
function matchesOne(rule: Json, value: Json): boolean {
  if (rule === null || typeof rule !== 'object') return rule === value;
  if (Array.isArray(rule)) return false;
  const [operator, operand] = Object.entries(rule)[0] ?? [];
  const text = typeof value === 'string' ? value : null;
  switch (operator) {
    case 'prefix':
      return text !== null && typeof operand === 'string' && text.startsWith(operand);
    case 'suffix':
      return text !== null && typeof operand === 'string' && text.endsWith(operand);
    case 'equals-ignore-case':
      return text !== null && typeof operand === 'string' && text.toLowerCase() === operand.toLowerCase();
    case 'wildcard':
      return text !== null && typeof operand === 'string' && wildcardMatches(operand, text);
    case 'anything-but': {
      if (Array.isArray(operand)) return !operand.includes(value);
      if (operand && typeof operand === 'object') return !matchesOne(operand, value);
      return operand !== value;
    }
    default:
      return false;
  }
}

function fieldMatches(rules: Json[], value: Json | undefined): boolean {
  const exists = rules.find((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && 'exists' in r) as
    | { exists: boolean }
    | undefined;
  if (exists) return exists.exists === (value !== undefined);
  if (value === undefined) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => rules.some((r) => matchesOne(r, v)));
}

/** True when the event matches the pattern. */
export function patternMatches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    const value = event[key] as Json | undefined;
    if (Array.isArray(rule)) {
      if (!fieldMatches(rule as Json[], value)) return false;
    } else if (rule && typeof rule === 'object') {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
      if (!patternMatches(rule as Record<string, unknown>, value as Record<string, unknown>)) return false;
    }
  }
  return true;
}
