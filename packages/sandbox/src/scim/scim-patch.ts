/**
 * Applies SCIM PATCH operations (RFC 7644 §3.5.2) to a resource's JSON form. Handlers then validate and store
 * the result the same way as a PUT, so every restriction applies to patches too.
 */
import { validation } from './scim-errors.js';

export type PatchOperation = { op: 'add' | 'replace' | 'remove'; path?: string; value?: unknown };

type Json = Record<string, unknown>;

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BOOLEAN_ATTRIBUTES = new Set(['active', 'primary']);

/** Reads and checks the Operations of a PATCH body. */
export function readPatchOperations(body: unknown): PatchOperation[] {
  if (!body || typeof body !== 'object') throw validation();
  const b = body as Json;
  if (Array.isArray(b.schemas) && !b.schemas.includes(PATCH_SCHEMA)) throw validation();
  const ops = b.Operations ?? b.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw validation();
  return ops.map((o) => {
    if (!o || typeof o !== 'object') throw validation();
    const op = String((o as Json).op ?? '').toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw validation();
    const path = (o as Json).path;
    if (path !== undefined && typeof path !== 'string') throw validation();
    return { op, path: path as string | undefined, value: (o as Json).value };
  });
}

/** Entra sends booleans as the strings "True" and "False" in PATCH values. */
export function coerce(attribute: string, value: unknown): unknown {
  if (BOOLEAN_ATTRIBUTES.has(attribute) && typeof value === 'string') {
    if (/^true$/i.test(value)) return true;
    if (/^false$/i.test(value)) return false;
  }
  return value;
}

type ParsedPath = {
  container: string[];
  attribute: string;
  filter?: { attribute: string; value: string };
  sub?: string;
};

function parsePath(path: string): ParsedPath {
  let container: string[] = [];
  let rest = path;
  if (rest.toLowerCase().startsWith(`${ENTERPRISE.toLowerCase()}:`)) {
    container = [ENTERPRISE];
    rest = rest.slice(ENTERPRISE.length + 1);
  }
  const m = /^([A-Za-z][\w]*)(?:\[\s*([A-Za-z][\w.]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\])?(?:\.([A-Za-z][\w]*))?$/i.exec(
    rest,
  );
  if (!m) throw validation(`Unsupported PATCH path: ${path}`);
  const parsed: ParsedPath = { container, attribute: m[1], sub: m[4] };
  if (m[2]) parsed.filter = { attribute: m[2], value: JSON.parse(`"${m[3]}"`) };
  return parsed;
}

function containerOf(resource: Json, container: string[], create: boolean): Json | undefined {
  let node = resource;
  for (const key of container) {
    if (!node[key] || typeof node[key] !== 'object') {
      if (!create) return undefined;
      node[key] = {};
    }
    node = node[key] as Json;
  }
  return node;
}

function findKey(node: Json, name: string): string {
  return Object.keys(node).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

function applyOne(resource: Json, op: PatchOperation): void {
  if (!op.path) {
    if (op.op === 'remove' || !op.value || typeof op.value !== 'object' || Array.isArray(op.value)) throw validation();
    for (const [k, v] of Object.entries(op.value as Json)) {
      if (k.includes('[') || (k.includes('.') && !k.startsWith('urn:')))
        applyOne(resource, { op: op.op, path: k, value: v });
      else if (k === ENTERPRISE && v && typeof v === 'object')
        Object.assign(containerOf(resource, [ENTERPRISE], true)!, v);
      else resource[findKey(resource, k)] = coerce(k, v);
    }
    return;
  }
  const p = parsePath(op.path);
  const node = containerOf(resource, p.container, op.op !== 'remove');
  if (!node) return;
  const key = findKey(node, p.attribute);
  if (p.filter) {
    const list = Array.isArray(node[key]) ? (node[key] as Json[]) : [];
    const match = (e: Json) => String(e[p.filter!.attribute] ?? '').toLowerCase() === p.filter!.value.toLowerCase();
    let element = list.find(match);
    if (op.op === 'remove') {
      if (!element) return;
      if (p.sub) delete element[p.sub];
      else node[key] = list.filter((e) => e !== element);
      return;
    }
    if (!element) {
      element = { [p.filter.attribute]: p.filter.value };
      if (list.length === 0) element.primary = true;
      list.push(element);
    }
    if (p.sub) element[p.sub] = coerce(p.sub, op.value);
    else if (op.value && typeof op.value === 'object') Object.assign(element, op.value);
    node[key] = list;
    return;
  }
  if (p.sub) {
    if (op.op === 'remove') {
      const inner = node[key] as Json | undefined;
      if (inner && typeof inner === 'object') delete inner[p.sub];
      return;
    }
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    (node[key] as Json)[p.sub] = coerce(p.sub, op.value);
    return;
  }
  if (op.op === 'remove') delete node[key];
  else if (op.op === 'add' && Array.isArray(node[key]) && Array.isArray(op.value))
    node[key] = [...(node[key] as unknown[]), ...op.value];
  else node[key] = coerce(p.attribute, op.value);
}

/** Applies the operations to a copy of `resource` and returns it. */
export function applyPatch(resource: Json, operations: PatchOperation[]): Json {
  const copy = structuredClone(resource);
  for (const op of operations) applyOne(copy, op);
  return copy;
}
