/**
 * Evaluates a job's attribute mappings for an Entra object: direct attributes, and the expression functions
 * the AWS app uses (Switch, Not, Join, constants). The result maps SCIM target paths to values.
 */
import type { EntraGroup, EntraUser } from '../../world/entra-state.js';
import type { AttributeMapping } from './aws-template.js';

/** A value the engine exports: strings, booleans, or null for "no value". */
export type MappedValue = string | boolean | null;

type Attributes = Record<string, string | null>;

/** Entra's source attributes of a user, as the provisioning service names them. */
export function userAttributes(user: EntraUser, isSoftDeleted: boolean): Attributes {
  return {
    objectId: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    mail: user.mail,
    givenName: user.givenName,
    surname: user.surname,
    jobTitle: user.jobTitle,
    department: user.department,
    accountEnabled: user.accountEnabled ? 'True' : 'False',
    IsSoftDeleted: isSoftDeleted ? 'True' : 'False',
  };
}

/** Entra's source attributes of a group. */
export function groupAttributes(group: EntraGroup): Attributes {
  return {
    objectId: group.id,
    displayName: group.displayName,
    description: group.description,
    mailNickname: group.mailNickname,
  };
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  args.push(current.trim());
  return args;
}

/** Evaluates an expression such as `Switch([IsSoftDeleted], , "False", "True", "True", "False")`. */
export function evaluateExpression(expression: string, attrs: Attributes): string | null {
  const e = expression.trim();
  if (e === '') return null;
  if (/^"(.*)"$/s.test(e)) return e.slice(1, -1);
  const ref = /^\[([\w.]+)\]$/.exec(e);
  if (ref) return attrs[ref[1]] ?? null;
  const call = /^(\w+)\((.*)\)$/s.exec(e);
  if (!call) throw new Error(`unsupported expression: ${expression}`);
  const args = splitArgs(call[2]).map((a) => evaluateExpression(a, attrs));
  switch (call[1].toLowerCase()) {
    case 'switch': {
      const [source, fallback, ...pairs] = args;
      for (let i = 0; i + 1 < pairs.length; i += 2) if (pairs[i] === source) return pairs[i + 1];
      return fallback;
    }
    case 'not':
      return args[0] === 'True' ? 'False' : 'True';
    case 'join':
      return args
        .slice(1)
        .filter((a) => a)
        .join(args[0] ?? '');
    case 'tolower':
      return args[0]?.toLowerCase() ?? null;
    case 'toupper':
      return args[0]?.toUpperCase() ?? null;
    default:
      throw new Error(`unsupported function: ${call[1]}`);
  }
}

const BOOLEAN_TARGETS = new Set(['active']);

/** Target path to value for every mapping except `members` (the engine exports members itself). */
export function applyMappings(mappings: AttributeMapping[], attrs: Attributes): Map<string, MappedValue> {
  const out = new Map<string, MappedValue>();
  for (const m of mappings) {
    if (m.targetAttributeName === 'members') continue;
    const raw =
      m.source.type === 'Attribute' ? (attrs[m.source.name] ?? null) : evaluateExpression(m.source.expression, attrs);
    const value = raw ?? m.defaultValue ?? null;
    out.set(
      m.targetAttributeName,
      BOOLEAN_TARGETS.has(m.targetAttributeName) && value !== null ? value.toLowerCase() === 'true' : value,
    );
  }
  return out;
}

/** Reads a target path (as used in mappings and PATCH) from a SCIM resource. */
export function readScimPath(resource: Record<string, unknown>, path: string): MappedValue {
  const m = /^([\w:.]*?:)?(\w+)(?:\[(\w+) eq "([^"]*)"\])?(?:\.(\w+))?$/.exec(path);
  if (!m) return null;
  const holder = (m[1] ? resource[m[1].slice(0, -1)] : resource) as Record<string, unknown> | undefined;
  let value: unknown = holder?.[m[2]];
  if (m[3]) {
    const list = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
    value = list.find((e) => String(e[m[3]] ?? '').toLowerCase() === m[4].toLowerCase());
  }
  if (m[5]) value = (value as Record<string, unknown> | undefined)?.[m[5]];
  if (value === undefined || value === '') return null;
  return typeof value === 'boolean' ? value : String(value);
}

/** Builds a SCIM resource body from mapped values (for POST). */
export function buildScimBody(values: Map<string, MappedValue>, schemas: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas };
  for (const [path, value] of values) {
    if (value === null) continue;
    const m = /^([\w:.]*?:)?(\w+)(?:\[(\w+) eq "([^"]*)"\])?(?:\.(\w+))?$/.exec(path);
    if (!m) continue;
    let holder = body;
    if (m[1]) {
      const key = m[1].slice(0, -1);
      holder = (body[key] as Record<string, unknown>) ?? {};
      body[key] = holder;
      if (!schemas.includes(key)) schemas.push(key);
    }
    if (m[3]) {
      const list = (holder[m[2]] as Record<string, unknown>[]) ?? [];
      let element = list.find((e) => e[m[3]] === m[4]);
      if (!element) {
        element = { [m[3]]: m[4], primary: list.length === 0 };
        list.push(element);
      }
      if (m[5]) element[m[5]] = value;
      holder[m[2]] = list;
    } else if (m[5]) {
      const inner = (holder[m[2]] as Record<string, unknown>) ?? {};
      inner[m[5]] = value;
      holder[m[2]] = inner;
    } else holder[m[2]] = value;
  }
  return body;
}
