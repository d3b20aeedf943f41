/** Reads the policies of a scenario file: documents, customer managed policies, groups, and references to them. */
import { awsManagedArn } from './policy-refs.js';
import type { GroupSpec, PolicyDocument, PolicySpec } from './spec.js';
import type { Path, YamlMap, YamlReader } from './yaml-reader.js';

/** Names IAM accepts for users, groups and policies. */
export const NAME = /^[\w+=,.@-]{1,128}$/;
/** An IAM path: starts and ends with a slash. */
export const PATH = /^\/([\x21-\x7e]*\/)?$/;

/** Reads a policy document given as a mapping or as JSON text. */
export function readDocument(r: YamlReader, value: unknown, path: Path): PolicyDocument | undefined {
  let doc = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      r.problem(path, 'policy document is not valid JSON');
      return undefined;
    }
  }
  const map = r.map(doc, path, 'a policy document');
  if (!map) return undefined;
  if (!('Statement' in map)) {
    r.problem(path, 'policy document has no "Statement"');
    return undefined;
  }
  return { Version: String(map.Version ?? '2012-10-17'), Statement: [map.Statement].flat() } as PolicyDocument;
}

/** Reads `inlinePolicies: { name: document }`. */
export function readInline(r: YamlReader, map: YamlMap, path: Path): Record<string, PolicyDocument> {
  const out: Record<string, PolicyDocument> = {};
  const value = map.inlinePolicies;
  if (value === undefined || value === null) return out;
  const inline = r.map(value, [...path, 'inlinePolicies'], '"inlinePolicies"');
  for (const [name, doc] of Object.entries(inline ?? {})) {
    const read = readDocument(r, doc, [...path, 'inlinePolicies', name]);
    if (read) out[name] = read;
  }
  return out;
}

export function readPolicy(r: YamlReader, value: unknown, path: Path): PolicySpec | undefined {
  const map = r.map(value, path, 'a policy');
  if (!map) return undefined;
  r.checkKeys(map, path, ['name', 'description', 'path', 'document', 'versions', 'defaultVersion']);
  const name = r.string(map, 'name', path, { required: true, pattern: NAME });
  const raw = map.versions !== undefined ? r.list(map.versions, [...path, 'versions'], '"versions"') : [map.document];
  if (map.versions === undefined && map.document === undefined)
    r.problem(path, 'a policy needs "document" or "versions"');
  if (raw.length > 5) r.problem([...path, 'versions'], 'a managed policy has at most 5 versions');
  const versions = raw
    .map((d, i) => readDocument(r, d, map.versions !== undefined ? [...path, 'versions', i] : [...path, 'document']))
    .filter((d): d is PolicyDocument => d !== undefined);
  const defaultVersion = r.number(map, 'defaultVersion', path, 1, Math.max(1, raw.length)) ?? versions.length;
  if (!name || versions.length !== raw.length || versions.length === 0) return undefined;
  const policyPath = r.string(map, 'path', path, { pattern: PATH, hint: 'a path starts and ends with /' }) ?? '/';
  return { name, path: policyPath, description: r.string(map, 'description', path) ?? '', versions, defaultVersion };
}

export function readGroup(r: YamlReader, value: unknown, path: Path): GroupSpec | undefined {
  const map = r.map(value, path, 'a group');
  if (!map) return undefined;
  r.checkKeys(map, path, ['name', 'path', 'policies', 'inlinePolicies']);
  const name = r.string(map, 'name', path, { required: true, pattern: NAME });
  const groupPath = r.string(map, 'path', path, { pattern: PATH, hint: 'a path starts and ends with /' }) ?? '/';
  const group = { name: name ?? '', path: groupPath, policies: r.strings(map, 'policies', path), inlinePolicies: {} };
  group.inlinePolicies = readInline(r, map, path);
  return name ? group : undefined;
}

/** Checks that each policy reference names a policy the account will have. */
export function checkPolicyRefs(r: YamlReader, refs: string[], path: Path, customer: Set<string>): void {
  refs.forEach((ref, i) => {
    if (ref.startsWith('arn:aws:iam::') || customer.has(ref) || awsManagedArn(ref)) return;
    r.problem([...path, i], `no policy "${ref}": not a customer managed policy of this file nor an AWS managed policy`);
  });
}
