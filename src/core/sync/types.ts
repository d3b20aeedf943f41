/**
 * The records `iam2sso sync` compares: Entra's directory as the sync mirrors it, the Identity Store as it is,
 * the links the state database remembers between the two, and the diff that makes the store follow Entra.
 */
import type { EntraUser } from '../entra-user.js';

export type { EntraUser };

/** An Entra group and its direct members (users and nested groups, by object id). */
export type DirectoryGroup = {
  id: string;
  displayName: string;
  description: string | null;
  members: string[];
  deleted?: boolean;
};

/** An Identity Store user (the fields the sync reads and writes). */
export type StoreUser = {
  userId: string;
  userName: string;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  emails: string[];
  /** ExternalIds: SCIM clients (Entra's provisioning) set the Entra object id here. */
  externalIds: string[];
};

/** An Identity Store group. */
export type StoreGroup = { groupId: string; displayName: string; description: string | null; externalIds: string[] };

/** An Identity Store group membership. */
export type StoreMembership = { membershipId: string; groupId: string; userId: string };

/** The Identity Store's users, groups and the memberships of the groups the sync looked at. */
export type StoreState = { users: StoreUser[]; groups: StoreGroup[]; memberships: StoreMembership[] };

/** How an Entra object was matched to an Identity Store object. */
export type MatchRule = 'external-id' | 'state' | 'user-name' | 'email' | 'display-name';

/** How a link between an Entra object and an Identity Store object came to be: created by the sync, or matched. */
export type LinkOrigin = 'created' | Exclude<MatchRule, 'state'>;

/** What the state database remembers from earlier runs. */
export type SyncLink = {
  entraId: string;
  kind: 'user' | 'group';
  targetId: string;
  origin: LinkOrigin;
  /** Users only: deactivated (still in the store, in no synced group). */
  deactivated?: boolean;
};

/** Which Entra groups the sync covers: the names a plan (or `--groups`) gives, or a display-name prefix. */
export type SyncScope = { kind: 'names'; names: string[] } | { kind: 'prefix'; prefix: string };

/** What happens to users who left (disabled, deleted, out of scope). */
export type LeaverAction = 'deactivate' | 'delete';

/** The attributes the sync writes to an Identity Store user. */
export type UserAttributes = {
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string | null;
};

export type UserCreate = { entraId: string; attributes: UserAttributes };
export type UserUpdate = {
  entraId: string;
  userId: string;
  attributes: UserAttributes;
  /** Attribute names that differ, e.g. `userName`, `emails`. */
  changes: (keyof UserAttributes)[];
};
export type UserLeave = {
  entraId: string;
  userId: string;
  userName: string;
  reason: 'disabled' | 'deleted' | 'out-of-scope';
};

export type GroupCreate = { entraId: string; displayName: string; description: string | null };
export type GroupUpdate = {
  entraId: string;
  groupId: string;
  displayName: string;
  description: string | null;
  changes: string[];
};
export type GroupDelete = { entraId: string; groupId: string; displayName: string };

/** A membership to add, by Entra ids (the Identity Store ids may only exist once the creates ran). */
export type MembershipAdd = { groupEntraId: string; userEntraId: string };

/** A conflict: the sync did not create or change anything for this Entra object, and says why. */
export type SyncConflict = {
  id: 'user-name-held-by-other' | 'email-held-by-other' | 'email-ambiguous' | 'group-name-held-by-other';
  entraId: string;
  /** The UPN or group name of the Entra object. */
  name: string;
  /** The Identity Store ids involved. */
  targetIds: string[];
  message: string;
};

/** One match made this run: which rule tied which objects. */
export type SyncMatch = { entraId: string; kind: 'user' | 'group'; targetId: string; rule: MatchRule };

/** Everything a sync would change, and why. */
export type SyncDiff = {
  users: {
    create: UserCreate[];
    update: UserUpdate[];
    deactivate: UserLeave[];
    delete: UserLeave[];
    unchanged: number;
  };
  groups: { create: GroupCreate[]; update: GroupUpdate[]; delete: GroupDelete[]; unchanged: number };
  memberships: { add: MembershipAdd[]; remove: StoreMembership[]; unchanged: number };
  matches: SyncMatch[];
  conflicts: SyncConflict[];
  /** Links to keep after the run (created objects are added by the engine as they are made). */
  links: SyncLink[];
};
