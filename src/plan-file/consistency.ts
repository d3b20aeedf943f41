/**
 * A plan file that contradicts itself is refused: the same user or group twice, a user in a group that does not
 * exist, a permission set named where none has that name (a rename not carried through), or a migrating user
 * whose permission sets are not what their groups give in their account; a direct SAML role's groups and
 * permission sets must exist too.
 */

type Path = (string | number)[];
type Obj = Record<string, unknown>;
type Add = (path: Path, message: string) => void;

/** Checks the references between sections; `strict` (apply, export) also checks names against definitions. */
export function checkConsistency(raw: Obj, options: { strict: boolean; file?: string }, add: Add): void {
  const sets = items(raw.permissionSets);
  const groups = items(raw.groups);
  const users = items(raw.users);
  duplicates(groups, (g) => lower(g.name), 'groups', 'name', 'group name', add);
  duplicates(users, (u) => `${u.accountId}/${u.userName}`, 'users', 'userName', 'user', add);
  if (!options.strict) return;
  const replan = `run \`iam2sso plan${options.file ? ` --out ${options.file}` : ''}\` to carry the new name through, or edit it to match`;
  const psNames = new Set(sets.map(([ps]) => lower(ps.name)));
  const byGroup = new Map(groups.map(([g]) => [lower(g.name), g]));
  for (const [g, i] of groups) {
    items(g.assignments).forEach(([a, j]) => {
      if (typeof a.permissionSet === 'string' && !psNames.has(a.permissionSet.toLowerCase()))
        add(
          ['groups', i, 'assignments', j, 'permissionSet'],
          `unknown permission set "${a.permissionSet}": if you renamed it, ${replan}`,
        );
    });
  }
  for (const [u, i] of users) {
    strings(u.permissionSets).forEach((p, j) => {
      if (!psNames.has(p.toLowerCase()))
        add(['users', i, 'permissionSets', j], `unknown permission set "${p}": if you renamed it, ${replan}`);
    });
    strings(u.groups).forEach((name, j) => {
      if (!byGroup.has(name.toLowerCase()))
        add(['users', i, 'groups', j], `unknown group "${name}": if you renamed it, ${replan}`);
    });
    if (u.action === 'migrate' && Array.isArray(u.groups) && Array.isArray(u.permissionSets))
      checkUserAgreesWithGroups(u, i, byGroup, add);
  }
  // A direct SAML role's holders join its groups: each must exist, as must the permission sets named.
  for (const [r, i] of items(raw.directSaml)) {
    strings(r.permissionSets).forEach((p, j) => {
      if (!psNames.has(p.toLowerCase()))
        add(['directSaml', i, 'permissionSets', j], `unknown permission set "${p}": if you renamed it, ${replan}`);
    });
    strings(r.groups).forEach((name, j) => {
      if (!byGroup.has(name.toLowerCase()))
        add(['directSaml', i, 'groups', j], `unknown group "${name}": if you renamed it, ${replan}`);
    });
  }
}

/** A migrating user's permission sets must be exactly what their groups assign in their account. */
function checkUserAgreesWithGroups(u: Obj, i: number, byGroup: Map<string, Obj>, add: Add): void {
  const given = new Set<string>();
  for (const name of strings(u.groups)) {
    const g = byGroup.get(name.toLowerCase());
    for (const [a] of items(g?.assignments))
      if (a.accountId === u.accountId && typeof a.permissionSet === 'string') given.add(a.permissionSet.toLowerCase());
  }
  const listed = new Set(strings(u.permissionSets).map((p) => p.toLowerCase()));
  const missing = [...listed].filter((p) => !given.has(p));
  const extra = [...given].filter((p) => !listed.has(p));
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [
    ...(missing.length
      ? [`lists ${missing.join(', ')} that none of its groups assigns in ${String(u.accountId)}`]
      : []),
    ...(extra.length ? [`its groups also give ${extra.join(', ')}`] : []),
  ];
  add(
    ['users', i, 'permissionSets'],
    `user ${String(u.userName)} ${parts.join('; ')}: access comes from users[].groups, so make permissionSets and groups agree`,
  );
}

function duplicates(
  list: [Obj, number][],
  id: (o: Obj) => string,
  section: string,
  field: string,
  what: string,
  add: Add,
): void {
  const first = new Map<string, number>();
  for (const [o, i] of list) {
    const key = id(o);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, i);
    else add([section, i, field], `${what} ${key} appears twice (also ${section}[${seen}]); keep one entry`);
  }
}

function items(value: unknown): [Obj, number][] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, i) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? [[v as Obj, i] as [Obj, number]] : [],
  );
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function lower(v: unknown): string {
  return typeof v === 'string' ? v.toLowerCase() : String(v);
}
