/**
 * Validation of an edited plan: every problem at once, each with the line it is on. Checks what the plan's
 * consumers rely on: only known keys, names and limits AWS and Entra enforce, known actions, UPN shapes, a file
 * that agrees with itself, and (strictly, for apply) that every permission set and group named exists.
 */
import { isUpn } from '../core/identity-map.js';
import { parsePolicyDocument } from '../core/policy/document.js';
import { MAX_MANAGED_POLICY_QUOTA, measureInlinePolicy, PERMISSION_SET_NAME } from '../core/policy/size.js';
import { IDENTITY_SOURCES } from '../core/reconcile/identity-source.js';
import { checkAdoptSection } from './adopt.js';
import { checkConsistency } from './consistency.js';
import { unknownKeys } from './keys.js';
import {
  accountIdProblem,
  customerPolicyProblem,
  groupNameProblem,
  managedPolicyArnProblem,
  policyGrammarProblems,
  sessionDurationProblem,
} from './limits.js';
import { checkOutsideSection } from './outside-iic.js';

/** A validation finding at a path of the plan document. */
export type PathProblem = { path: (string | number)[]; message: string };

const ACTIONS = ['migrate', 'replace', 'keep', 'decommission', 'skip'];
const RECOMMENDATIONS = ['iam-role-on-compute', 'github-actions-oidc', 'iam-roles-anywhere', 'keep-with-rotation'];

type Obj = Record<string, unknown>;

/** Checks a decoded plan object; `strict` also requires every referenced permission set and group to exist. */
export function validatePlanObject(
  raw: unknown,
  options: { quota: number; strict: boolean; file?: string },
): PathProblem[] {
  const problems: PathProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  if (!isObj(raw)) return [{ path: [], message: 'the plan must be a mapping' }];
  if (raw.formatVersion !== 1) {
    add(['formatVersion'], `unknown formatVersion ${JSON.stringify(raw.formatVersion)}: this iam2sso reads version 1`);
    return problems;
  }
  problems.push(...unknownKeys(raw));
  if (raw.identitySource !== undefined && !(IDENTITY_SOURCES as readonly unknown[]).includes(raw.identitySource))
    add(
      ['identitySource'],
      `identitySource must be one of ${IDENTITY_SOURCES.join(', ')}, not ${JSON.stringify(raw.identitySource)}`,
    );
  const names = new Set<string>();
  eachItem(raw, 'permissionSets', add, (ps, at) => {
    const name = ps.name;
    if (typeof name !== 'string' || !PERMISSION_SET_NAME.test(name)) {
      add(
        [...at, 'name'],
        `permission set name ${JSON.stringify(name)} must be 1-32 characters of letters, digits and +=,.@_-`,
      );
    } else if (names.has(name.toLowerCase())) add([...at, 'name'], `permission set name ${name} is used twice`);
    else names.add(name.toLowerCase());
    check(sessionDurationProblem(ps.sessionDuration), [...at, 'sessionDuration'], add);
    const managed = list(ps.managedPolicies, [...at, 'managedPolicies'], add);
    managed.forEach((arn, i) => {
      check(managedPolicyArnProblem(arn), [...at, 'managedPolicies', i], add);
    });
    const customer = list(ps.customerManagedPolicies, [...at, 'customerManagedPolicies'], add);
    customer.forEach((c, i) => {
      check(customerPolicyProblem(c), [...at, 'customerManagedPolicies', i], add);
    });
    const quota = Math.min(options.quota, MAX_MANAGED_POLICY_QUOTA);
    if (managed.length + customer.length > quota) {
      add(
        [...at, 'managedPolicies'],
        `${managed.length + customer.length} managed and customer managed policies exceed the quota of ${quota}`,
      );
    }
    checkPolicy(ps.inlinePolicy, [...at, 'inlinePolicy'], add, true);
    checkBoundary(ps.permissionsBoundary, [...at, 'permissionsBoundary'], add);
  });
  eachItem(raw, 'groups', add, (g, at) => {
    check(groupNameProblem(g.name), [...at, 'name'], add);
    if (g.replaces !== undefined && (typeof g.replaces !== 'string' || g.replaces === ''))
      add([...at, 'replaces'], 'replaces names the Identity Center directory group this group replaces (a string)');
    list(g.members, [...at, 'members'], add).forEach((m, i) => {
      if (typeof m !== 'string' || !isUpn(m))
        add([...at, 'members', i], `not a user principal name: ${JSON.stringify(m)}`);
    });
    list(g.assignments, [...at, 'assignments'], add).forEach((a, i) => {
      if (!isObj(a)) add([...at, 'assignments', i], 'each assignment is {accountId, permissionSet}');
      else check(accountIdProblem(a.accountId), [...at, 'assignments', i, 'accountId'], add);
    });
  });
  eachItem(raw, 'users', add, (u, at) => {
    check(accountIdProblem(u.accountId), [...at, 'accountId'], add);
    if (typeof u.userName !== 'string' || u.userName === '') add([...at, 'userName'], 'userName is required');
    if (!ACTIONS.includes(u.action as string))
      add([...at, 'action'], `action must be one of ${ACTIONS.join(', ')}, not ${JSON.stringify(u.action)}`);
    if (u.upn !== null && u.upn !== undefined && (typeof u.upn !== 'string' || !isUpn(u.upn))) {
      add([...at, 'upn'], `not a user principal name: ${JSON.stringify(u.upn)} (use name@domain, or null)`);
    }
    list(u.permissionSets, [...at, 'permissionSets'], add);
    list(u.groups, [...at, 'groups'], add);
    checkParity(u.parity, at, add);
  });
  eachItem(raw, 'serviceAccounts', add, (s, at) => {
    if (!RECOMMENDATIONS.includes(s.recommendation as string)) {
      add([...at, 'recommendation'], `recommendation must be one of ${RECOMMENDATIONS.join(', ')}`);
    }
    checkPolicy(s.trustPolicy, [...at, 'trustPolicy'], add, false);
    checkPolicy(s.policy, [...at, 'policy'], add, false);
  });
  if (isObj(raw.fingerprint))
    list(raw.fingerprint.accounts, ['fingerprint', 'accounts'], add).forEach((a, i) => {
      if (isObj(a)) check(accountIdProblem(a.accountId), ['fingerprint', 'accounts', i, 'accountId'], add);
    });
  eachItem(raw, 'privilegedAccess', add, (p, at) => checkPrivileged(p, at, add));
  eachItem(raw, 'directSaml', add, (r, at) => {
    check(accountIdProblem(r.accountId), [...at, 'accountId'], add);
    list(r.members, [...at, 'members'], add).forEach((m, i) => {
      if (typeof m !== 'string' || !isUpn(m))
        add([...at, 'members', i], `not a user principal name: ${JSON.stringify(m)}`);
    });
    list(r.groups, [...at, 'groups'], add);
    checkParity(r.parity, at, add);
  });
  checkConsistency(raw, options, add);
  checkAdoptSection(raw, options.strict, add);
  checkOutsideSection(raw, add);
  return problems;
}

/** A parity block: a mapping whose acknowledged entries are gap texts or patterns. */
function checkParity(parity: unknown, at: (string | number)[], add: (p: (string | number)[], m: string) => void): void {
  if (parity !== undefined && !isObj(parity)) add([...at, 'parity'], 'parity must be a mapping');
  else if (isObj(parity))
    list(parity.acknowledged ?? [], [...at, 'parity', 'acknowledged'], add).forEach((a, i) => {
      if (typeof a !== 'string' || a.trim() === '')
        add([...at, 'parity', 'acknowledged', i], 'acknowledged entries are gap texts or patterns like s3:*');
    });
}

/**
 * One privileged group setting (`entra harden --pim`): a group name, an activation of PT30M..PT24H, two flags, and
 * the approvers an approval needs.
 */
function checkPrivileged(p: Obj, at: (string | number)[], add: (p: (string | number)[], m: string) => void): void {
  if (typeof p.group !== 'string' || !p.group) add([...at, 'group'], 'group must name a group of the plan');
  const max = typeof p.maxActivation === 'string' ? /^PT(\d+)H(?:(\d+)M)?$|^PT(\d+)M$/.exec(p.maxActivation) : null;
  const minutes = max ? Number(max[1] ?? 0) * 60 + Number(max[2] ?? 0) + Number(max[3] ?? 0) : 0;
  if (!max || minutes < 30 || minutes > 24 * 60)
    add([...at, 'maxActivation'], 'maxActivation must be an ISO-8601 duration from PT30M to PT24H, e.g. PT4H');
  for (const flag of ['approval', 'justification'])
    if (typeof p[flag] !== 'boolean') add([...at, flag], `${flag} must be true or false`);
  const approvers = p.approvers ?? [];
  if (!Array.isArray(approvers) || approvers.some((a) => typeof a !== 'string' || a.trim() === ''))
    add([...at, 'approvers'], 'approvers must be a list of Entra user UPNs or Entra group names');
  else if (p.approval === true && approvers.length === 0)
    add(
      [...at, 'approvers'],
      'approval: true needs approvers (Entra user UPNs or group names), e.g. [lead@example.com]',
    );
}

function eachItem(
  raw: Obj,
  section: string,
  add: (p: (string | number)[], m: string) => void,
  fn: (item: Obj, at: (string | number)[]) => void,
): void {
  const value = raw[section];
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    add([section], `${section} must be a list`);
    return;
  }
  value.forEach((item, i) => {
    if (!isObj(item)) add([section, i], 'each entry must be a mapping');
    else fn(item, [section, i]);
  });
}

function list(value: unknown, at: (string | number)[], add: (p: (string | number)[], m: string) => void): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    add(at, 'must be a list');
    return [];
  }
  return value;
}

function check(
  problem: string | null,
  at: (string | number)[],
  add: (p: (string | number)[], m: string) => void,
): void {
  if (problem) add(at, problem);
}

function checkPolicy(
  value: unknown,
  at: (string | number)[],
  add: (p: (string | number)[], m: string) => void,
  limits: boolean,
): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'string') {
    add(at, 'must be policy JSON text or null');
    return;
  }
  const parsed = parsePolicyDocument(value);
  for (const p of parsed.problems) add(at, p.message);
  if (parsed.problems.length > 0) return;
  for (const p of policyGrammarProblems(JSON.parse(value))) add(at, p);
  if (!limits) return;
  const size = measureInlinePolicy(JSON.stringify(JSON.parse(value)));
  if (!size.fits) {
    add(
      at,
      `inline policy is ${size.nonWhitespace.toLocaleString('en-US')} non-whitespace characters (${size.chars.toLocaleString('en-US')} in all); the limits are 10,240 and 32,768`,
    );
  }
}

function checkBoundary(
  value: unknown,
  at: (string | number)[],
  add: (p: (string | number)[], m: string) => void,
): void {
  if (value === null || value === undefined) return;
  if (isObj(value) && typeof value.managedPolicyArn === 'string') {
    check(managedPolicyArnProblem(value.managedPolicyArn), [...at, 'managedPolicyArn'], add);
    return;
  }
  if (isObj(value) && isObj(value.customerManagedPolicy)) {
    check(customerPolicyProblem(value.customerManagedPolicy), [...at, 'customerManagedPolicy'], add);
    return;
  }
  add(at, 'permissionsBoundary must be null, {managedPolicyArn: ARN} or {customerManagedPolicy: {name, path}}');
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
