/**
 * Directory reads through Graph at scale: `$select`ed, paged lists; delta rounds for users and groups (with
 * member changes) whose delta link the caller keeps, starting over with a full round when the link expired;
 * transitive user members of nested groups; and direct members of many groups through `$batch`.
 */
import type { GraphApi } from './graph-client.js';
import { GraphCallError, isExpiredDelta } from './graph-errors.js';
import type { DeltaRound, DirectoryReader, EntraGroup, EntraUser, GroupChange, MemberRef } from './ports.js';

/** The user fields the product reads. */
export const USER_FIELDS = [
  'id',
  'userPrincipalName',
  'mail',
  'givenName',
  'surname',
  'displayName',
  'accountEnabled',
  'onPremisesImmutableId',
];
/** The group fields the product reads. */
export const GROUP_FIELDS = ['id', 'displayName', 'description', 'mailNickname', 'securityEnabled', 'mailEnabled'];

const USERS_SELECT = `$select=${USER_FIELDS.join(',')}`;
const GROUPS_SELECT = `$select=${GROUP_FIELDS.join(',')}`;

type Raw = Record<string, unknown>;

/** OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function toUser(raw: Raw): EntraUser {
  return {
    id: String(raw.id),
    userPrincipalName: String(raw.userPrincipalName ?? ''),
    mail: (raw.mail as string | null) ?? null,
    givenName: (raw.givenName as string | null) ?? null,
    surname: (raw.surname as string | null) ?? null,
    displayName: String(raw.displayName ?? ''),
    accountEnabled: raw.accountEnabled !== false,
    onPremisesImmutableId: (raw.onPremisesImmutableId as string | null) ?? null,
  };
}

function toGroup(raw: Raw): EntraGroup {
  return {
    id: String(raw.id),
    displayName: String(raw.displayName ?? ''),
    description: (raw.description as string | null) ?? null,
    mailNickname: String(raw.mailNickname ?? ''),
    securityEnabled: raw.securityEnabled === true,
    mailEnabled: raw.mailEnabled === true,
  };
}

function toMember(raw: Raw): MemberRef {
  const type = String(raw['@odata.type'] ?? '');
  return {
    id: String(raw.id),
    type: type.endsWith('.user') ? 'user' : type.endsWith('.group') ? 'group' : 'other',
  };
}

function toGroupChange(raw: Raw): GroupChange {
  const members = (raw['members@delta'] as Raw[] | undefined) ?? [];
  return {
    ...toGroup(raw),
    membersAdded: members.filter((m) => !m['@removed']).map(toMember),
    membersRemoved: members.filter((m) => m['@removed']).map(toMember),
  };
}

/** One delta round from `start` (or from the stored link), restarting with a full round if the link expired. */
async function deltaRound<T>(
  graph: GraphApi,
  start: string,
  op: 'users.read' | 'groups.read',
  deltaLink: string | undefined,
  convert: (raw: Raw) => T,
): Promise<DeltaRound<T>> {
  let fullResync = false;
  let result: { items: Raw[]; deltaLink: string | null };
  try {
    result = await graph.pages<Raw>(deltaLink ?? start, op);
  } catch (error) {
    if (!(deltaLink && error instanceof GraphCallError && isExpiredDelta(error.failure))) throw error;
    fullResync = true;
    result = await graph.pages<Raw>(start, op);
  }
  if (!result.deltaLink) throw new Error(`Graph ended a delta round of ${start} without a delta link`);
  return {
    changed: result.items.filter((r) => !r['@removed']).map(convert),
    removed: result.items.filter((r) => r['@removed']).map((r) => String(r.id)),
    deltaLink: result.deltaLink,
    fullResync: fullResync || !deltaLink,
  };
}

/** The Graph implementation of DirectoryReader. */
export function graphDirectoryReader(graph: GraphApi): DirectoryReader {
  return {
    async listUsers(onPage) {
      const { items } = await graph.pages<Raw>(`/users?${USERS_SELECT}&$top=999`, 'users.read', onPage);
      return items.map(toUser);
    },
    async listGroups(onPage) {
      const { items } = await graph.pages<Raw>(`/groups?${GROUPS_SELECT}&$top=999`, 'groups.read', onPage);
      return items.map(toGroup);
    },
    async findUserByUpn(upn) {
      const filter = `$filter=${encodeURIComponent(`userPrincipalName eq ${odataString(upn)}`)}`;
      const { items } = await graph.pages<Raw>(`/users?${filter}&${USERS_SELECT}`, 'users.read');
      return items.length ? toUser(items[0]) : null;
    },
    async findGroupsByName(displayName) {
      const filter = `$filter=${encodeURIComponent(`displayName eq ${odataString(displayName)}`)}`;
      const { items } = await graph.pages<Raw>(`/groups?${filter}&${GROUPS_SELECT}`, 'groups.read');
      return items.map(toGroup);
    },
    usersDelta: (deltaLink) => deltaRound(graph, `/users/delta?${USERS_SELECT}`, 'users.read', deltaLink, toUser),
    groupsDelta: (deltaLink) =>
      deltaRound(graph, `/groups/delta?${GROUPS_SELECT},members`, 'groups.read', deltaLink, toGroupChange),
    async transitiveUserMembers(groupId) {
      const path = `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?${USERS_SELECT}&$top=999`;
      const { items } = await graph.pages<Raw>(path, 'groups.read');
      return items.map(toUser);
    },
    async directMembersOf(groupIds) {
      const unique = [...new Set(groupIds)];
      const results = await graph.batch(
        unique.map((id, i) => ({
          id: String(i),
          method: 'GET' as const,
          url: `/groups/${encodeURIComponent(id)}/members?$select=id&$top=999`,
        })),
        'groups.read',
      );
      const out = new Map<string, MemberRef[]>();
      for (const [i, result] of results.entries()) {
        if (result.failure) throw new GraphCallError(result.failure, 'groups.read');
        const page = result.body as { value?: Raw[]; '@odata.nextLink'?: string };
        const members = (page.value ?? []).map(toMember);
        if (page['@odata.nextLink']) {
          const rest = await graph.pages<Raw>(page['@odata.nextLink'], 'groups.read');
          members.push(...rest.items.map(toMember));
        }
        out.set(unique[i], members);
      }
      return out;
    },
  };
}
