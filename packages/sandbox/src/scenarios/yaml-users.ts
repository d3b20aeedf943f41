/** Reads one IAM user of a scenario file: credentials with their ages, memberships, policies, tags. */

import { blankUser, type KeySpec, type PasswordSpec, type UserSpec } from './spec.js';
import type { IntendedCategory } from './types.js';
import { checkPolicyRefs, PATH, readInline } from './yaml-policies.js';
import type { Path, YamlMap, YamlReader } from './yaml-reader.js';

const CATEGORIES: readonly IntendedCategory[] = [
  'human-console',
  'human-programmatic',
  'service',
  'break-glass',
  'stale',
];
const USER_FIELDS = [
  'name',
  'category',
  'path',
  'createdDaysAgo',
  'upn',
  'givenName',
  'surname',
  'leaver',
  'password',
  'mfa',
  'keys',
  'groups',
  'policies',
  'inlinePolicies',
  'permissionsBoundary',
  'tags',
  'sshKeys',
  'signingCertificates',
  'codeCommitCredential',
  'sourceIps',
];
const MAX_DAYS = 20 * 365;

/** `lastUsedDaysAgo`: a number of days, or `never` (also when absent). */
function lastUsed(r: YamlReader, map: YamlMap, path: Path): number | undefined {
  if (map.lastUsedDaysAgo === 'never') return undefined;
  return r.number(map, 'lastUsedDaysAgo', path, 0, MAX_DAYS);
}

function readPassword(r: YamlReader, value: unknown, path: Path): PasswordSpec | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (value === true) return { lastUsedDaysAgo: 1 };
  const map = r.map(value, path, '"password" (true, false or { lastUsedDaysAgo, createdDaysAgo })');
  if (!map) return undefined;
  r.checkKeys(map, path, ['lastUsedDaysAgo', 'createdDaysAgo']);
  const spec: PasswordSpec = { lastUsedDaysAgo: lastUsed(r, map, path) };
  spec.createdDaysAgo = r.number(map, 'createdDaysAgo', path, 0, MAX_DAYS);
  if (spec.createdDaysAgo !== undefined && (spec.lastUsedDaysAgo ?? 0) > spec.createdDaysAgo)
    r.problem(path, 'the password cannot be last used before it was created');
  return spec;
}

function readKey(r: YamlReader, value: unknown, path: Path, defaultClient: string): KeySpec | undefined {
  const map = r.map(value, path, 'a key');
  if (!map) return undefined;
  r.checkKeys(map, path, ['ageDays', 'lastUsedDaysAgo', 'status', 'usedBy']);
  const ageDays = r.number(map, 'ageDays', path, 0, MAX_DAYS);
  if (map.ageDays === undefined) r.problem(path, 'missing required field "ageDays"');
  const used = lastUsed(r, map, path);
  if (ageDays !== undefined && used !== undefined && used > ageDays)
    r.problem(
      [...path, 'lastUsedDaysAgo'],
      'a key cannot be last used before it was created (lastUsedDaysAgo > ageDays)',
    );
  const status = r.oneOf(map, 'status', path, ['Active', 'Inactive'] as const) ?? 'Active';
  const client = r.string(map, 'usedBy', path) ?? defaultClient;
  return ageDays === undefined ? undefined : { ageDays, lastUsedDaysAgo: used, status, client };
}

function readTags(r: YamlReader, map: YamlMap, path: Path): Record<string, string> {
  if (map.tags === undefined || map.tags === null) return {};
  const tags = r.map(map.tags, [...path, 'tags'], '"tags"') ?? {};
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
}

function applyPerson(r: YamlReader, map: YamlMap, path: Path, user: UserSpec): void {
  user.upn = r.string(map, 'upn', path, { pattern: /^[^@\s]+@[^@\s]+$/, hint: 'a UPN looks like name@domain' });
  const [first = '', last = ''] = (user.upn?.split('@')[0] ?? '').split('.');
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  user.givenName = r.string(map, 'givenName', path) ?? (user.upn && first ? capital(first) : undefined);
  user.surname = r.string(map, 'surname', path) ?? (user.upn && last ? capital(last) : undefined);
  if (r.boolean(map, 'leaver', path)) user.leaver = true;
}

/** Reads a user; references to groups and policies are checked against what the account will have. */
export function readUser(
  r: YamlReader,
  value: unknown,
  path: Path,
  known: { customer: Set<string>; groups: Set<string> },
): UserSpec | undefined {
  const map = r.map(value, path, 'a user');
  if (!map) return undefined;
  r.checkKeys(map, path, USER_FIELDS);
  const name = r.string(map, 'name', path, { required: true, pattern: /^[\w+=,.@-]{1,64}$/, hint: 'IAM user names' });
  const category = r.oneOf(map, 'category', path, CATEGORIES, true);
  const user = blankUser(name ?? '', category ?? 'stale', r.number(map, 'createdDaysAgo', path, 0, MAX_DAYS) ?? 400);
  user.path = r.string(map, 'path', path, { pattern: PATH, hint: 'starts and ends with /' }) ?? '/';
  applyPerson(r, map, path, user);
  user.password = readPassword(r, map.password, [...path, 'password']);
  user.mfa = r.boolean(map, 'mfa', path) ?? false;
  const defaultClient = category === 'service' || category === 'stale' ? 'boto3' : 'aws-cli';
  user.keys = r
    .list(map.keys, [...path, 'keys'], '"keys"')
    .map((k, i) => readKey(r, k, [...path, 'keys', i], defaultClient))
    .filter((k): k is KeySpec => !!k);
  if (user.keys.length > 2) r.problem([...path, 'keys'], 'IAM allows at most 2 access keys per user');
  user.groups = r.strings(map, 'groups', path);
  user.groups.forEach((g, i) => {
    if (!known.groups.has(g)) r.problem([...path, 'groups', i], `no group "${g}" in this account or the file's groups`);
  });
  user.policies = r.strings(map, 'policies', path);
  checkPolicyRefs(r, user.policies, [...path, 'policies'], known.customer);
  user.inlinePolicies = readInline(r, map, path);
  user.permissionsBoundary = r.string(map, 'permissionsBoundary', path);
  if (user.permissionsBoundary)
    checkPolicyRefs(r, [user.permissionsBoundary], [...path, 'permissionsBoundary'], known.customer);
  user.tags = readTags(r, map, path);
  user.sshKeys = r.number(map, 'sshKeys', path, 0, 5) ?? 0;
  user.signingCertificates = r.number(map, 'signingCertificates', path, 0, 2) ?? 0;
  user.codeCommitCredential = r.boolean(map, 'codeCommitCredential', path) ?? false;
  const ips = r.strings(map, 'sourceIps', path);
  user.sourceIps = ips.length ? ips : category === 'service' ? ['52.20.10.10'] : ['203.0.113.10'];
  return name && category ? user : undefined;
}
