/**
 * Classification weighed against the Entra directory, at plan time when the directory answers: an IAM user whose
 * name or `email` tag matches a person in the directory is strong evidence of a human, a person-shaped name
 * (`first.last`, or `flast` that the directory matches) is evidence, and a user no rule could decide is marked
 * for review instead of being defaulted to a service account.
 */
import type { IdentityResult } from './identity-map.js';
import type { Category, Classification, UserRecord } from './model.js';

/** The category to plan with, what a reviewer should look at (or null), and notes for the plan. */
export type DirectoryVerdict = { category: Category; review: string | null; notes: string[] };

/** Classifications a weak rule made, which directory evidence may overturn. */
const WEAK = new Set(['undecided', 'service-group']);

/** `first.last`, `first_last` or `first-last`: a name shaped like a person's. */
const FIRST_LAST = /^[a-z][a-z']+[._-][a-z][a-z'-]+$/i;

/** Weighs the directory's evidence for one user against the audit's classification. */
export function weighDirectoryEvidence(
  user: UserRecord,
  classification: Pick<Classification, 'category' | 'confidence' | 'decidedBy'>,
  identity: IdentityResult | undefined,
): DirectoryVerdict {
  const { category, decidedBy } = classification;
  const person = personEvidence(user, identity);
  const human: Category = user.consoleEnabled ? 'human-console' : 'human-programmatic';
  if (category === 'break-glass' || category === 'stale' || category.startsWith('human'))
    return { category, review: null, notes: [] };
  if (person.strong && WEAK.has(decidedBy))
    return {
      category: human,
      review: null,
      notes: [`classified as a person: ${person.strong} (the audit said service, by rule ${decidedBy})`],
    };
  if (person.strong)
    return {
      category,
      review: `the directory has a person for this user (${person.strong}) but rule ${decidedBy} says service: confirm the action`,
      notes: [],
    };
  if (decidedBy === 'undecided')
    return {
      category,
      review: `undecided: nothing tells a person from automation${person.weak ? `; ${person.weak}` : ''}. Set action (migrate for a person, replace for automation) after review`,
      notes: [],
    };
  return { category, review: null, notes: [] };
}

function personEvidence(
  user: UserRecord,
  identity: IdentityResult | undefined,
): { strong: string | null; weak: string | null } {
  const shaped = FIRST_LAST.test(user.userName);
  if (identity?.status !== 'mapped')
    return { strong: null, weak: shaped ? `the name "${user.userName}" is shaped like a person's` : null };
  const upn = identity.upn;
  if (identity.source === 'mapping-file' || identity.source === 'plan-file')
    return { strong: `a reviewer mapped it to ${upn} (${identity.detail})`, weak: null };
  if (identity.directoryMatch === 'upn' && identity.source === 'tag')
    return { strong: `its ${identity.detail} ${upn} is a directory user`, weak: null };
  if (identity.directoryMatch === 'mail')
    return { strong: `directory user ${upn} has the mail of its tag`, weak: null };
  if (identity.directoryMatch === 'name') {
    const local = upn.slice(0, upn.indexOf('@')).toLowerCase();
    const name = user.userName.toLowerCase();
    if (local === name || shaped || /^[a-z]{3,}$/.test(name))
      return { strong: `the directory search for "${user.userName}" finds exactly ${upn}`, weak: null };
  }
  if (identity.directoryMatch === 'upn')
    return { strong: `${upn} (${identity.detail}) is a directory user`, weak: null };
  return {
    strong: null,
    weak: identity.source === 'tag' ? `its ${identity.detail} names ${upn} (not checked against the directory)` : null,
  };
}
