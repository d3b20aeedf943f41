/**
 * The file checks of the `outsideIdentityCenter:` section (accounts that keep direct SAML federation from Entra): an
 * account id, an app and provider name as Entra and IAM take them, each account once, role names as IAM takes them,
 * policy ARNs, Entra group names, and no Identity Center assignment to such an account anywhere in the plan.
 */
import { accountIdProblem, groupNameProblem, managedPolicyArnProblem } from './limits.js';

type Path = (string | number)[];
type Obj = Record<string, unknown>;
type Add = (path: Path, message: string) => void;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// CreateSAMLProvider Name: 1-128 of [\w._-] (docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html).
const PROVIDER_NAME = /^[\w._-]{1,128}$/;
// CreateRole RoleName: 1-64 of [\w+=,.@-] (docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// An application's displayName: up to 256 characters (learn.microsoft.com/graph/api/resources/application).
const APP_NAME_MAX = 256;

function checkRole(role: unknown, at: Path, add: Add, seen: Set<string>): void {
  if (!isObj(role)) {
    add(at, 'each role is a mapping: {name, policies, groups, adopt}');
    return;
  }
  if (typeof role.name !== 'string' || !ROLE_NAME.test(role.name))
    add(
      [...at, 'name'],
      `role name ${JSON.stringify(role.name)} must be 1-64 characters of letters, digits and +=,.@_-`,
    );
  else if (seen.has(role.name.toLowerCase())) add([...at, 'name'], `role ${role.name} is listed twice in this account`);
  else seen.add(role.name.toLowerCase());
  if (role.adopt !== undefined && typeof role.adopt !== 'boolean') add([...at, 'adopt'], 'adopt is true or false');
  for (const field of ['policies', 'groups'] as const) {
    const value = role[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      add([...at, field], `${field} must be a list`);
      continue;
    }
    value.forEach((v, i) => {
      const problem = field === 'policies' ? managedPolicyArnProblem(v) : groupNameProblem(v);
      if (problem) add([...at, field, i], problem);
    });
  }
}

/** Checks `raw.outsideIdentityCenter` and that no group assigns an account it lists. */
export function checkOutsideSection(raw: Obj, add: Add): void {
  const value = raw.outsideIdentityCenter;
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    add(['outsideIdentityCenter'], 'outsideIdentityCenter must be a list');
    return;
  }
  const accounts = new Map<string, number>();
  for (const [i, entry] of value.entries()) {
    const at: Path = ['outsideIdentityCenter', i];
    if (!isObj(entry)) {
      add(at, 'each entry is a mapping: {accountId, app, provider, adopt, roles}');
      continue;
    }
    const idProblem = accountIdProblem(entry.accountId);
    if (idProblem) add([...at, 'accountId'], idProblem);
    else if (accounts.has(String(entry.accountId)))
      add(
        [...at, 'accountId'],
        `account ${entry.accountId} is listed twice (also outsideIdentityCenter[${accounts.get(String(entry.accountId))}])`,
      );
    else accounts.set(String(entry.accountId), i);
    if (typeof entry.app !== 'string' || entry.app.trim() === '' || entry.app.length > APP_NAME_MAX)
      add([...at, 'app'], `app must be the Entra app's display name (1-${APP_NAME_MAX} characters)`);
    if (typeof entry.provider !== 'string' || !PROVIDER_NAME.test(entry.provider))
      add(
        [...at, 'provider'],
        `provider ${JSON.stringify(entry.provider)} must be 1-128 characters of letters, digits and ._-`,
      );
    if (entry.adopt !== undefined && typeof entry.adopt !== 'boolean') add([...at, 'adopt'], 'adopt is true or false');
    if (!Array.isArray(entry.roles) || entry.roles.length === 0) {
      add([...at, 'roles'], 'roles must list at least one role: {name, policies, groups}');
      continue;
    }
    const seen = new Set<string>();
    entry.roles.forEach((role, j) => {
      checkRole(role, [...at, 'roles', j], add, seen);
    });
  }
  checkNoAssignments(raw, accounts, add);
}

/** An account outside Identity Center gets no Identity Center assignment from the plan, nor a direct SAML migration. */
function checkNoAssignments(raw: Obj, accounts: Map<string, number>, add: Add): void {
  if (Array.isArray(raw.directSaml))
    raw.directSaml.forEach((d, i) => {
      if (!isObj(d) || !accounts.has(String(d.accountId))) return;
      add(
        ['directSaml', i, 'accountId'],
        `account ${d.accountId} stays outside Identity Center (outsideIdentityCenter[${accounts.get(String(d.accountId))}]): its roles are kept, not migrated; remove this entry`,
      );
    });
  if (!Array.isArray(raw.groups)) return;
  raw.groups.forEach((g, i) => {
    if (!isObj(g) || !Array.isArray(g.assignments)) return;
    g.assignments.forEach((a, j) => {
      if (!isObj(a) || !accounts.has(String(a.accountId))) return;
      add(
        ['groups', i, 'assignments', j, 'accountId'],
        `account ${a.accountId} stays outside Identity Center (outsideIdentityCenter[${accounts.get(String(a.accountId))}]): remove this assignment, or the account from outsideIdentityCenter`,
      );
    });
  });
}
