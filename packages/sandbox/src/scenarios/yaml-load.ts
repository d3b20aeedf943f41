/**
 * Loads a scenario YAML file (see examples/scenario.yaml) into an EstateSpec, reporting every mistake with
 * its file and line. Policy and group references are checked against what the file defines and AWS's
 * managed policies.
 */
import { readFileSync } from 'node:fs';
import type { Rng } from '../rng.js';
import { MANAGEMENT_ACCOUNT_ID } from './generate.js';
import type { AccountSpec, EstateSpec, GroupSpec, PolicySpec } from './spec.js';
import { checkPolicyRefs, readGroup, readPolicy } from './yaml-policies.js';
import { type Path, ScenarioFileError, YamlReader } from './yaml-reader.js';
import { readUser } from './yaml-users.js';

const ALIAS = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

function readAccount(
  r: YamlReader,
  value: unknown,
  path: Path,
  shared: { policies: PolicySpec[]; groups: GroupSpec[] },
  domain: string,
): AccountSpec | undefined {
  const map = r.map(value, path, 'an account');
  if (!map) return undefined;
  r.checkKeys(map, path, [
    'name',
    'id',
    'email',
    'alias',
    'ou',
    'management',
    'rootMfa',
    'rootAccessKeys',
    'policies',
    'groups',
    'users',
  ]);
  const name = r.string(map, 'name', path, { required: true, pattern: /^[\w .,@+=-]{1,50}$/ }) ?? '';
  const id = r.string(map, 'id', path, { pattern: /^\d{12}$/, hint: 'an account id has 12 digits' });
  const own = {
    policies: r
      .list(map.policies, [...path, 'policies'], '"policies"')
      .map((p, i) => readPolicy(r, p, [...path, 'policies', i])),
    groups: r.list(map.groups, [...path, 'groups'], '"groups"').map((g, i) => readGroup(r, g, [...path, 'groups', i])),
  };
  const policies = [...shared.policies, ...own.policies.filter((p): p is PolicySpec => !!p)];
  const groups = [...shared.groups, ...own.groups.filter((g): g is GroupSpec => !!g)];
  const customer = new Set(policies.map((p) => p.name));
  own.groups.forEach((g, i) => {
    if (g) checkPolicyRefs(r, g.policies, [...path, 'groups', i, 'policies'], customer);
  });
  const known = { customer, groups: new Set(groups.map((g) => g.name)) };
  const seen = new Set<string>();
  const users = r.list(map.users, [...path, 'users'], '"users"').flatMap((u, i) => {
    const user = readUser(r, u, [...path, 'users', i], known);
    if (user && seen.has(user.name)) r.problem([...path, 'users', i], `user "${user.name}" is defined twice`);
    if (user) seen.add(user.name);
    return user ? [user] : [];
  });
  return {
    id: id ?? '',
    name,
    email: r.string(map, 'email', path, { pattern: /^[^@\s]+@[^@\s]+$/ }) ?? `aws-${name}@${domain}`,
    alias: r.string(map, 'alias', path, { pattern: ALIAS, hint: 'lower-case letters, digits and single hyphens' }),
    ou: (r.string(map, 'ou', path) ?? '').replace(/^\/+|\/+$/g, ''),
    management: r.boolean(map, 'management', path) ?? false,
    rootMfa: r.boolean(map, 'rootMfa', path) ?? true,
    rootAccessKeys: r.boolean(map, 'rootAccessKeys', path) ?? false,
    policies,
    groups,
    users,
  };
}

function assignIds(r: YamlReader, accounts: AccountSpec[], rng: Rng): void {
  const managers = accounts.filter((a) => a.management);
  if (managers.length > 1) r.problem(['accounts'], 'only one account can be the management account');
  if (managers.length === 0 && accounts.length) accounts[0].management = true;
  const used = new Set(accounts.map((a) => a.id).filter(Boolean));
  for (const a of accounts) {
    if (a.id) continue;
    let id = a.management && !used.has(MANAGEMENT_ACCOUNT_ID) ? MANAGEMENT_ACCOUNT_ID : '';
    while (!id || used.has(id)) id = String(rng.int(1, 9)) + rng.chars(11, '0123456789');
    used.add(id);
    a.id = id;
  }
  if (used.size !== accounts.length) r.problem(['accounts'], 'two accounts have the same id');
}

/** Parses scenario YAML text into an estate; throws ScenarioFileError listing every problem. */
export function parseScenario(file: string, text: string, rng: Rng): EstateSpec {
  const r = new YamlReader(file, text);
  r.finish();
  const top = r.map(r.root, [], 'the scenario');
  if (!top) return r.finish() as never;
  r.checkKeys(top, [], ['domain', 'organizationalUnits', 'policies', 'groups', 'accounts']);
  const domain = r.string(top, 'domain', [], { pattern: /^[a-z0-9.-]+\.[a-z]{2,}$/i }) ?? 'example.com';
  const policies = r.list(top.policies, ['policies'], '"policies"').map((p, i) => readPolicy(r, p, ['policies', i]));
  const groups = r.list(top.groups, ['groups'], '"groups"').map((g, i) => readGroup(r, g, ['groups', i]));
  const shared = {
    policies: policies.filter((p): p is PolicySpec => !!p),
    groups: groups.filter((g): g is GroupSpec => !!g),
  };
  const sharedNames = new Set(shared.policies.map((p) => p.name));
  groups.forEach((g, i) => {
    if (g) checkPolicyRefs(r, g.policies, ['groups', i, 'policies'], sharedNames);
  });
  const rawAccounts = r.list(top.accounts, ['accounts'], '"accounts"');
  if (rawAccounts.length === 0) r.problem([], 'the scenario needs at least one account under "accounts"');
  const accounts = rawAccounts
    .map((a, i) => readAccount(r, a, ['accounts', i], shared, domain))
    .filter((a): a is AccountSpec => !!a);
  assignIds(r, accounts, rng);
  const units = r.strings(top, 'organizationalUnits', []).map((u) => u.replace(/^\/+|\/+$/g, ''));
  r.finish();
  return { domain, organizationalUnits: units, accounts };
}

/** Reads and parses a scenario file. */
export function loadScenarioFile(file: string, rng: Rng): EstateSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ScenarioFileError([
      { file, message: `cannot read the scenario (${reason}); built-in scenarios are small, medium and large` },
    ]);
  }
  return parseScenario(file, text, rng);
}
