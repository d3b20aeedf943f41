/**
 * Maps IAM users to Entra user principal names, by the first rule that answers: an explicit UPN edited into the
 * plan file (applied by the plan), the mapping file, an IAM tag (`email` by default), a template (`{user}@example.com`), then the Entra
 * directory when one is configured. Unmapped and ambiguous users are data: they block apply for themselves only.
 */

import type { EntraUser } from './entra-user.js';
import type { UserRecord } from './model.js';
import type { PlanSettings } from './plan-settings.js';
import type { UpnSource } from './plan-types.js';

/** A directory user as a lookup returns it: the fields of the one Entra user record that identity mapping reads. */
export type DirectoryUser = Pick<EntraUser, 'id' | 'userPrincipalName' | 'mail' | 'displayName'>;

/** The directory reads identity mapping needs (the Entra adapter implements it; tests fake it). */
export type DirectoryLookup = {
  findByUpn(upn: string): Promise<DirectoryUser | null>;
  findByMail(mail: string): Promise<DirectoryUser[]>;
  /** Users whose name, mail nickname or UPN starts with `text`. */
  search(text: string): Promise<DirectoryUser[]>;
};

/** One row of a mapping file; `accountId` `*` matches every account. */
export type MappingEntry = { accountId: string; userName: string; upn: string; line?: number };

/** The outcome for one user. */
export type IdentityResult =
  | {
      status: 'mapped';
      upn: string;
      source: UpnSource;
      detail: string;
      /** How the Entra directory confirmed a person behind the user, when it was consulted and did. */
      directoryMatch?: 'upn' | 'mail' | 'name';
    }
  | { status: 'unmapped'; detail: string }
  | { status: 'ambiguous'; candidates: string[]; detail: string };

/** Mapping inputs: settings and mapping file rows (UPNs edited into the plan file are applied by the plan). */
export type IdentityInputs = { settings: PlanSettings['identity']; mapping: MappingEntry[] };

const UPN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** True when `text` looks like a user principal name (name@domain.tld). */
export function isUpn(text: string): boolean {
  return UPN.test(text);
}

/** Resolves every user's UPN; the directory (when given) is consulted only for users the rules cannot place. */
export async function resolveIdentities(
  users: UserRecord[],
  inputs: IdentityInputs,
  directory: DirectoryLookup | null,
): Promise<Map<string, IdentityResult>> {
  const byKey = mappingIndex(inputs.mapping);
  const out = new Map<string, IdentityResult>();
  for (const user of users) {
    const key = `${user.accountId}/${user.userName}`;
    let result = resolveStatically(user, inputs, byKey);
    if (directory && inputs.settings.directoryLookup) result = await checkDirectory(user, result, directory);
    out.set(key, result);
  }
  return out;
}

function resolveStatically(user: UserRecord, inputs: IdentityInputs, byKey: Map<string, Set<string>>): IdentityResult {
  const key = `${user.accountId}/${user.userName}`;
  const mapped = byKey.get(key) ?? byKey.get(`*/${user.userName}`);
  if (mapped && mapped.size > 1) {
    return { status: 'ambiguous', candidates: [...mapped].sort(), detail: 'the mapping file gives several UPNs' };
  }
  if (mapped && mapped.size === 1)
    return { status: 'mapped', upn: [...mapped][0], source: 'mapping-file', detail: 'mapping file' };
  for (const tag of inputs.settings.tagKeys) {
    const value = Object.entries(user.tags)
      .find(([k]) => k.toLowerCase() === tag.toLowerCase())?.[1]
      ?.trim();
    if (value && isUpn(value))
      return { status: 'mapped', upn: value.toLowerCase(), source: 'tag', detail: `IAM tag ${tag}` };
  }
  if (inputs.settings.template) {
    const upn = inputs.settings.template.replace(/\{user\}/g, user.userName).toLowerCase();
    if (isUpn(upn))
      return { status: 'mapped', upn, source: 'template', detail: `template ${inputs.settings.template}` };
  }
  return { status: 'unmapped', detail: 'no mapping file row, tag or template gives a UPN' };
}

async function checkDirectory(
  user: UserRecord,
  result: IdentityResult,
  directory: DirectoryLookup,
): Promise<IdentityResult> {
  if (result.status === 'mapped') {
    if (result.source === 'plan-file' || result.source === 'mapping-file') return result;
    if (await directory.findByUpn(result.upn)) return { ...result, directoryMatch: 'upn' };
    const byMail = await directory.findByMail(result.upn);
    if (byMail.length === 1) {
      return {
        status: 'mapped',
        upn: byMail[0].userPrincipalName,
        source: 'directory',
        detail: `directory user with mail ${result.upn}`,
        directoryMatch: 'mail',
      };
    }
    if (byMail.length > 1) return ambiguous(byMail, `several directory users have mail ${result.upn}`);
  }
  if (result.status === 'ambiguous') return result;
  const found = await directory.search(user.userName);
  if (found.length === 1) {
    return {
      status: 'mapped',
      upn: found[0].userPrincipalName,
      source: 'directory',
      detail: `directory search for ${user.userName}`,
      directoryMatch: 'name',
    };
  }
  if (found.length > 1) return ambiguous(found, `directory search for ${user.userName} found ${found.length} users`);
  return { status: 'unmapped', detail: 'not found in the directory either' };
}

function ambiguous(users: DirectoryUser[], detail: string): IdentityResult {
  return { status: 'ambiguous', candidates: users.map((u) => u.userPrincipalName).sort(), detail };
}

function mappingIndex(entries: MappingEntry[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of entries) {
    const key = `${e.accountId}/${e.userName}`;
    const set = out.get(key) ?? new Set<string>();
    set.add(e.upn.toLowerCase());
    out.set(key, set);
  }
  return out;
}
