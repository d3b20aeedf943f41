/**
 * The one record of an Entra user the product uses (apply, sync, verify, doctor, the Entra adapter): what Graph's
 * `/users` and `/users/delta` return of it. Pure.
 */

/** An Entra user. */
export type EntraUser = {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  givenName: string | null;
  surname: string | null;
  displayName: string;
  accountEnabled: boolean;
  /** The on-premises immutable id (hybrid identities), when the read asked for it. */
  onPremisesImmutableId?: string | null;
  /** True once Graph's delta reported the user `@removed` (kept by the sync's mirror to tell leavers). */
  deleted?: boolean;
};
