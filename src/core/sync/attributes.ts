/**
 * The Identity Store attributes an Entra user maps to, as Entra's own AWS provisioning maps them: userName from
 * the UPN, displayName, given and family names (required by Identity Center, so read from the display name or
 * the UPN when Entra has none), and one email (the mail, else the UPN).
 */
import { userEmail } from './match.js';
import type { EntraUser, StoreUser, UserAttributes } from './types.js';

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** The attributes the store should hold for an Entra user. */
export function desiredAttributes(user: EntraUser): UserAttributes {
  const display = user.displayName?.trim() || user.userPrincipalName;
  const local = user.userPrincipalName.split('@')[0];
  const parts = words(display);
  return {
    userName: user.userPrincipalName,
    displayName: display,
    givenName: user.givenName?.trim() || (parts.length > 1 ? parts[0] : local),
    familyName: user.surname?.trim() || (parts.length > 1 ? parts[parts.length - 1] : local),
    email: userEmail(user),
  };
}

/** The attribute names where the store's user differs from the desired attributes. */
export function attributeChanges(desired: UserAttributes, current: StoreUser): (keyof UserAttributes)[] {
  const changes: (keyof UserAttributes)[] = [];
  if (desired.userName !== current.userName) changes.push('userName');
  if (desired.displayName !== current.displayName) changes.push('displayName');
  if (desired.givenName !== (current.givenName ?? '')) changes.push('givenName');
  if (desired.familyName !== (current.familyName ?? '')) changes.push('familyName');
  const emails = current.emails.map((e) => e.toLowerCase());
  const wanted = desired.email ? [desired.email.toLowerCase()] : [];
  if (emails.length !== wanted.length || emails.some((e, i) => e !== wanted[i])) changes.push('email');
  return changes;
}
