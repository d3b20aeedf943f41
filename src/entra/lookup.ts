/** The DirectoryLookup that identity mapping (core/identity-map.ts) consults, answered by Graph user queries. */
import type { DirectoryLookup, DirectoryUser } from '../core/identity-map.js';
import { odataString, USER_FIELDS } from './directory-reader.js';
import type { GraphApi } from './graph-client.js';

type Raw = Record<string, unknown>;

function toDirectoryUser(raw: Raw): DirectoryUser {
  return {
    id: String(raw.id),
    userPrincipalName: String(raw.userPrincipalName ?? ''),
    mail: (raw.mail as string | null) ?? null,
    displayName: String(raw.displayName ?? ''),
  };
}

/** Identity-mapping lookups over Graph (`$filter` on userPrincipalName, mail, and `startswith`). */
export function graphDirectoryLookup(graph: GraphApi): DirectoryLookup {
  const query = async (filter: string): Promise<DirectoryUser[]> => {
    const path = `/users?$filter=${encodeURIComponent(filter)}&$select=${USER_FIELDS.join(',')}&$top=25`;
    const { items } = await graph.pages<Raw>(path, 'users.read');
    return items.map(toDirectoryUser);
  };
  return {
    async findByUpn(upn) {
      return (await query(`userPrincipalName eq ${odataString(upn)}`))[0] ?? null;
    },
    findByMail: (mail) => query(`mail eq ${odataString(mail)}`),
    search(text) {
      const t = odataString(text);
      return query(`startswith(userPrincipalName,${t}) or startswith(mail,${t}) or startswith(displayName,${t})`);
    },
  };
}
