/**
 * The keys each part of a plan file may hold. A key outside them is an error with a did-you-mean, because a
 * typo (`managedPolicy:` for `managedPolicies:`) would otherwise read as "no managed policies" and detach them.
 */

type Path = (string | number)[];

const ROOT = [
  'formatVersion',
  'createdAt',
  'identitySource',
  'fingerprint',
  'permissionSets',
  'groups',
  'users',
  'serviceAccounts',
  'problems',
  'privilegedAccess',
  'adopt',
  'directSaml',
  'outsideIdentityCenter',
];
const PERMISSION_SET = [
  'key',
  'name',
  'description',
  'sessionDuration',
  'kind',
  'managedPolicies',
  'customerManagedPolicies',
  'inlinePolicy',
  'permissionsBoundary',
  'reason',
];
const USER = [
  'accountId',
  'userName',
  'category',
  'review',
  'upn',
  'upnSource',
  'action',
  'permissionSets',
  'groups',
  'parity',
  'blockedBy',
  'notes',
];

/** Allowed keys by the shape of the path (numbers stand for list items). */
const SHAPES: Record<string, string[]> = {
  '': ROOT,
  fingerprint: ['runId', 'takenAt', 'accounts'],
  'fingerprint.#': ['accountId', 'hash'],
  'permissionSets.#': PERMISSION_SET,
  'permissionSets.#.customerManagedPolicies.#': ['name', 'path'],
  'permissionSets.#.permissionsBoundary': ['managedPolicyArn', 'customerManagedPolicy'],
  'permissionSets.#.permissionsBoundary.customerManagedPolicy': ['name', 'path'],
  'groups.#': ['key', 'name', 'description', 'members', 'assignments', 'replaces'],
  'groups.#.assignments.#': ['accountId', 'permissionSet'],
  'users.#': USER,
  'users.#.parity': ['gaps', 'excess', 'needsReview', 'acknowledged'],
  'serviceAccounts.#': ['accountId', 'userName', 'recommendation', 'reason', 'trustPolicy', 'policy'],
  'problems.#': ['id', 'message', 'accountId', 'userName'],
  'privilegedAccess.#': ['group', 'maxActivation', 'approval', 'approvers', 'justification'],
  'adopt.#': ['kind', 'name', 'accountId', 'permissionSet', 'group', 'reason'],
  'directSaml.#': [
    'accountId',
    'role',
    'provider',
    'permissionSets',
    'groups',
    'members',
    'via',
    'parity',
    'blockedBy',
  ],
  'directSaml.#.parity': ['gaps', 'excess', 'needsReview', 'acknowledged'],
  'outsideIdentityCenter.#': ['accountId', 'app', 'provider', 'adopt', 'roles'],
  'outsideIdentityCenter.#.roles.#': ['name', 'policies', 'groups', 'adopt'],
};

/** Every key of the plan object that the format does not know, with the path it is at and a suggestion. */
export function unknownKeys(raw: unknown): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  walk(raw, [], out);
  return out;
}

function walk(value: unknown, path: Path, out: { path: Path; message: string }[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walk(v, [...path, i], out);
    });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const shape = path.map((p) => (typeof p === 'number' ? '#' : p)).join('.');
  const allowed = SHAPES[shape.replace(/^fingerprint\.accounts/, 'fingerprint')];
  if (!allowed) return;
  for (const [key, child] of Object.entries(value)) {
    if (!allowed.includes(key)) {
      const near = didYouMean(key, allowed);
      out.push({
        path: [...path, key],
        message: `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; allowed here: ${allowed.join(', ')}`,
      });
      continue;
    }
    walk(child, [...path, key], out);
  }
}

/** The closest allowed key, when one is close enough to be a likely typo. */
export function didYouMean(key: string, allowed: string[]): string | null {
  const k = key.toLowerCase();
  let best: { word: string; score: number } | null = null;
  for (const word of allowed) {
    const w = word.toLowerCase();
    const score = w.startsWith(k) || k.startsWith(w) ? Math.abs(w.length - k.length) * 0.5 : distance(k, w);
    if (!best || score < best.score) best = { word, score };
  }
  return best && best.score <= Math.max(2, Math.floor(k.length / 4)) ? best.word : null;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
