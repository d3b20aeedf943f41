/**
 * Switch readiness: whether the people of an Identity Center directory keep their sign-in when the identity source
 * becomes Entra. Entra's SAML assertion names the user by UPN (the NameID), and Identity Center signs in the
 * directory user whose user name equals it; provisioning from Entra matches users by that user name too. So each
 * directory user is matched to Entra by the same directory strategies as IAM users (UPN, then mail): an exact UPN on
 * an enabled account keeps sign-in; anything else loses it, with the reason and the fix. Pure.
 */

/** A directory user as read from the Identity Store. */
export type DirectoryUserFacts = { id: string; userName: string; emails: string[]; externalIds: string[] };

/** An Entra user as matching needs it. */
export type EntraUserFacts = { userPrincipalName: string; mail: string | null; accountEnabled: boolean };

/** Why a directory user loses sign-in. */
export type LossReason = 'entra-disabled' | 'not-a-upn' | 'no-entra-user' | 'ambiguous';

/** One directory user's outcome. */
export type SwitchOutcome =
  | { userName: string; keeps: true; upn: string; rule: 'upn' }
  | { userName: string; keeps: false; reason: LossReason; detail: string; fix: string; upn: string | null };

const lower = (s: string) => s.toLowerCase();

/** Directory users: made in Identity Center itself, not provisioned from an identity provider (no external id). */
export function directoryUsers(users: DirectoryUserFacts[]): DirectoryUserFacts[] {
  return users.filter((u) => u.externalIds.length === 0);
}

/** The outcome of the switch for every directory user, in user name order. */
export function assessSwitch(users: DirectoryUserFacts[], entra: EntraUserFacts[]): SwitchOutcome[] {
  const byUpn = new Map(entra.map((e) => [lower(e.userPrincipalName), e]));
  return [...users]
    .sort((a, b) => (a.userName < b.userName ? -1 : 1))
    .map((u): SwitchOutcome => {
      const exact = byUpn.get(lower(u.userName));
      if (exact?.accountEnabled)
        return { userName: u.userName, keeps: true, upn: exact.userPrincipalName, rule: 'upn' };
      if (exact)
        return {
          userName: u.userName,
          keeps: false,
          reason: 'entra-disabled',
          upn: exact.userPrincipalName,
          detail: `the Entra account ${exact.userPrincipalName} is disabled`,
          fix: 're-enable the Entra account if the person still needs access; otherwise remove their assignments',
        };
      const emails = new Set(u.emails.map(lower));
      const byMail = entra.filter((e) => emails.has(lower(e.mail ?? '')) || emails.has(lower(e.userPrincipalName)));
      if (byMail.length === 1)
        return {
          userName: u.userName,
          keeps: false,
          reason: 'not-a-upn',
          upn: byMail[0].userPrincipalName,
          detail: `user name ${u.userName} is not a UPN, its email belongs to Entra user ${byMail[0].userPrincipalName}`,
          fix: `rename the Identity Center user to ${byMail[0].userPrincipalName} before the switch (Identity Center > Users > ${u.userName} > Edit)`,
        };
      if (byMail.length > 1)
        return {
          userName: u.userName,
          keeps: false,
          reason: 'ambiguous',
          upn: null,
          detail: `its email matches ${byMail.length} Entra users (${byMail.map((e) => e.userPrincipalName).join(', ')})`,
          fix: 'rename the Identity Center user to the UPN of the right Entra user',
        };
      return {
        userName: u.userName,
        keeps: false,
        reason: 'no-entra-user',
        upn: null,
        detail: 'no Entra user has this user name as UPN, or its email as mail',
        fix: `create the person in Entra (or invite them as a guest) with UPN ${u.userName}, or accept that they lose access`,
      };
    });
}
