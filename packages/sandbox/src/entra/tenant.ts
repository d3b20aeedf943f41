/**
 * Builds the Entra tenant of a scenario: people matching the IAM estate the way real companies do (most humans
 * have an account, a few spelled differently, leavers disabled or deleted, some nobodies with no IAM user),
 * departments, nested security groups, and the product's app registration with its Graph permissions.
 */
import type { Manifest, ManifestUser } from '../scenarios/types.js';
import { scenarioPassword, scenarioTotpSeed } from '../signin/people.js';
import { createEntraTenant } from '../world/bootstrap.js';
import type { EntraScenarioTruth, EntraState, EntraUser } from '../world/entra-state.js';
import type { World } from '../world/world.js';
import { addMember, deleteUser, markChanged } from './directory.js';
import { createTokenSigningKey } from './oauth/token-keys.js';
import { registerProductApp } from './product-app.js';

const DAY = 86_400_000;

/** Department groups, their parents (Engineering ⊃ Platform ⊃ SRE) and the job titles in each. */
const DEPARTMENTS: { name: string; parent: string | null; titles: string[] }[] = [
  {
    name: 'Engineering',
    parent: null,
    titles: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager'],
  },
  { name: 'Platform', parent: 'Engineering', titles: ['Platform Engineer', 'Cloud Architect'] },
  { name: 'SRE', parent: 'Platform', titles: ['Site Reliability Engineer', 'Senior SRE'] },
  { name: 'Data', parent: 'Engineering', titles: ['Data Engineer', 'Data Scientist'] },
  { name: 'Security', parent: null, titles: ['Security Engineer', 'CISO'] },
  { name: 'IT', parent: null, titles: ['IT Administrator', 'Helpdesk Analyst'] },
  { name: 'Finance', parent: null, titles: ['Financial Analyst', 'Controller'] },
];

const GIVEN = ['Alex', 'Maria', 'Priya', 'Tom', 'Yuki', 'Omar', 'Lena', 'Carlos', 'Ines', 'Noah', 'Sara', 'Jin'];
const FAMILY = ['Berg', 'Okafor', 'Rossi', 'Nguyen', 'Schmidt', 'Haddad', 'Silva', 'Kowalski', 'Tanaka', 'Moreau'];
const INITIALS = 'ABCDEFGHJKLMNPRSTW';

type Person = { upn: string; givenName: string; surname: string; leaver: boolean };

function capitalize(word: string): string {
  return word ? word[0].toUpperCase() + word.slice(1) : word;
}

/** The people of the manifest, one per UPN, with names from the manifest or read from the UPN. */
function peopleOf(users: ManifestUser[]): Person[] {
  const byUpn = new Map<string, Person>();
  for (const user of users) {
    if (!user.upn || byUpn.has(user.upn.toLowerCase())) continue;
    const [first = user.upn, ...rest] = user.upn.split('@')[0].split(/[._-]/);
    byUpn.set(user.upn.toLowerCase(), {
      upn: user.upn,
      givenName: user.givenName ?? capitalize(first),
      surname: user.surname ?? capitalize(rest.join(' ') || first),
      leaver: user.leaver === true,
    });
  }
  return [...byUpn.values()];
}

function newUser(world: World, entra: EntraState, person: Person, department: (typeof DEPARTMENTS)[number]): EntraUser {
  const now = world.clock.now();
  const user: EntraUser = {
    id: world.rng.uuid(),
    userPrincipalName: person.upn,
    mail: person.upn,
    givenName: person.givenName,
    surname: person.surname,
    displayName: `${person.givenName} ${person.surname}`,
    accountEnabled: true,
    onPremisesImmutableId: null,
    jobTitle: world.rng.pick(department.titles),
    department: department.name,
    createdDateTime: new Date(now.getTime() - world.rng.int(30, 2000) * DAY),
    mailNickname: person.upn.split('@')[0],
    employeeId: String(world.rng.int(10000, 99999)),
    usageLocation: 'US',
  };
  entra.users.set(user.id, user);
  markChanged(entra, user.id, 'user', now);
  return user;
}

/** Gives ~1 in 10 people a mail or display name spelled differently from their UPN (a middle initial). */
function respell(world: World, user: EntraUser, truth: EntraScenarioTruth): void {
  if (!world.rng.chance(0.1)) return;
  const initial = world.rng.pick([...INITIALS]);
  const [local, domain] = user.userPrincipalName.split('@');
  if (world.rng.chance(0.5)) user.mail = `${local.replace(/^([^.]+)\./, `$1.${initial.toLowerCase()}.`)}@${domain}`;
  user.displayName = `${user.givenName} ${initial}. ${user.surname}`;
  truth.differentSpellings.push(user.userPrincipalName);
}

function createGroups(world: World, entra: EntraState): Map<string, string> {
  const ids = new Map<string, string>();
  const now = world.clock.now();
  for (const dept of DEPARTMENTS) {
    const id = world.rng.uuid();
    entra.groups.set(id, {
      id,
      displayName: dept.name,
      description: `Everyone in ${dept.name}`,
      mailNickname: dept.name.toLowerCase(),
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: new Date(now.getTime() - world.rng.int(400, 2000) * DAY),
      members: new Set(),
    });
    markChanged(entra, id, 'group', now);
    ids.set(dept.name, id);
  }
  for (const dept of DEPARTMENTS) {
    if (dept.parent) addMember(entra, entra.groups.get(ids.get(dept.parent)!)!, ids.get(dept.name)!, now);
  }
  return ids;
}

/** Fills the world's Entra tenant (creating it if the scenario has not) from the manifest's people. */
export function buildEntraTenant(world: World, manifest: Manifest): EntraState {
  const entra = world.entra ?? createEntraTenant(world, manifest.domain ?? 'example.com');
  const truth: EntraScenarioTruth = {
    people: new Map(),
    disabledLeavers: [],
    deletedLeavers: [],
    nobodies: [],
    differentSpellings: [],
  };
  entra.scenarioTruth = truth;
  entra.tokenSigningKey ??= createTokenSigningKey(world.clock.now());
  entra.graphThrottle ??= { limit: null, windowMs: 10_000, retryAfterSeconds: 2, failNext: 0 };
  const groupIds = createGroups(world, entra);
  const now = world.clock.now();
  const place = (user: EntraUser) => addMember(entra, entra.groups.get(groupIds.get(user.department!)!)!, user.id, now);

  for (const person of peopleOf(manifest.users)) {
    // A few current employees never got an Entra account (contractors on a personal mail, say).
    if (!person.leaver && world.rng.chance(0.04)) {
      truth.people.set(person.upn, null);
      continue;
    }
    const user = newUser(world, entra, person, world.rng.pick(DEPARTMENTS));
    truth.people.set(person.upn, user.id);
    place(user);
    respell(world, user, truth);
    if (person.leaver) {
      if (world.rng.chance(0.3)) {
        deleteUser(entra, user, now);
        truth.deletedLeavers.push(person.upn);
      } else {
        user.accountEnabled = false;
        truth.disabledLeavers.push(person.upn);
      }
    }
  }

  const domain = manifest.domain ?? entra.domain;
  const nobodies = Math.max(2, Math.round(truth.people.size * 0.08));
  for (let i = 0; i < nobodies; i++) {
    const givenName = world.rng.pick(GIVEN);
    const surname = world.rng.pick(FAMILY);
    let upn = `${givenName}.${surname}@${domain}`.toLowerCase();
    for (let n = 2; [...entra.users.values()].some((u) => u.userPrincipalName === upn); n++) {
      upn = `${givenName}.${surname}${n}@${domain}`.toLowerCase();
    }
    const user = newUser(world, entra, { upn, givenName, surname, leaver: false }, world.rng.pick(DEPARTMENTS));
    place(user);
    truth.nobodies.push(upn);
  }

  for (const user of manifest.users) {
    if (!user.upn || !truth.people.get(user.upn)) continue;
    user.password = scenarioPassword(entra, user.upn);
    user.totpSeed = scenarioTotpSeed(entra, user.upn);
  }
  registerProductApp(world, entra);
  return entra;
}
