/**
 * Least-privilege policies from the permission data: one for the management account (or the delegated Identity
 * Center administrator), one for the role iam2sso assumes in member accounts, and the Microsoft Graph application
 * permissions, for one command or several.
 */
import {
  APPLY_BY_IDENTITY_SOURCE,
  AWS_MODULE_ACTIONS,
  COMMAND_MODULES,
  type CommandModules,
  OUTSIDE_IDENTITY_CENTER,
  type PermissionCommand,
} from '../aws/required-permissions.js';
import type { IdentitySource } from '../core/reconcile/identity-source.js';
import { REQUIRED_PERMISSION } from '../entra/permissions.js';

/** An IAM policy statement as iam2sso writes them (always Allow). */
export type PolicyStatement = { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string | string[] };
/** An IAM policy document. */
export type PolicyDocument = { Version: '2012-10-17'; Statement: PolicyStatement[] };

/** The permissions of a set of commands. */
export type RequiredPermissions = {
  commands: PermissionCommand[];
  management: PolicyDocument | null;
  member: PolicyDocument | null;
  /** The member-account role the management policy may assume. */
  memberRoleName: string;
  graphApplicationPermissions: string[];
  notes: string[];
};

const WRITE = /^(sso|identitystore|organizations):(Create|Delete|Update|Put|Attach|Detach|Provision)/;

/** Writes to IAM objects, SNS topics and EventBridge rules (breakglass, replace, decommission). */
const OBJECT_WRITE =
  /^(iam|sns|events):(Create|Delete|Update|Put|Attach|Detach|Add|Remove|Tag|Deactivate|Pass|Set|Enable)|^iam:PassRole$/;

/** Roles Anywhere's writes (`replace`): a statement of their own, on `*`. */
const RA_WRITE = /^rolesanywhere:(Create|Delete|Tag)/;

function actionsOf(needs: CommandModules[], side: 'management' | 'member'): string[] {
  const actions = needs.flatMap((n) => [
    ...n[side]
      .flatMap((m) => AWS_MODULE_ACTIONS[m] ?? [])
      .filter((a) => (!n.readOnly || !WRITE.test(a)) && !n.except?.includes(a)),
    ...(n[side].length ? (n.extra ?? []) : []),
  ]);
  return [...new Set(actions)].sort();
}

/** The resources of the object writes: those the commands name, or `*` when any of them cannot name its own. */
function writeResources(needs: CommandModules[], partition: string): string | string[] {
  const writing = needs.filter((n) =>
    [...n.management, ...n.member].some((m) => (AWS_MODULE_ACTIONS[m] ?? []).some((a) => OBJECT_WRITE.test(a))),
  );
  if (writing.length === 0 || writing.some((n) => !n.writeResources)) return '*';
  return [...new Set(writing.flatMap((n) => n.writeResources!.map((r) => r.replace('PARTITION', partition))))];
}

function statements(
  actions: string[],
  partition: string,
  roleName: string,
  assigns: boolean,
  objects: string | string[] = '*',
): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  const objectWrites = actions.filter((a) => OBJECT_WRITE.test(a));
  const raWrites = actions.filter((a) => RA_WRITE.test(a));
  const reads = actions.filter(
    (a) => !WRITE.test(a) && a !== 'sts:AssumeRole' && !objectWrites.includes(a) && !raWrites.includes(a),
  );
  const writes = actions.filter((a) => WRITE.test(a));
  if (reads.length) out.push({ Sid: 'Iam2ssoRead', Effect: 'Allow', Action: reads, Resource: '*' });
  // Identity Center's permission set and assignment ARNs are made by the calls themselves, so writes cannot be
  // scoped to resources named in advance; iam2sso's own ownership checks (journal, tags) bound what it changes.
  const orgWrites = writes.filter((a) => a.startsWith('organizations:'));
  const icWrites = writes.filter((a) => !a.startsWith('organizations:'));
  if (icWrites.length)
    out.push({ Sid: 'Iam2ssoIdentityCenterWrite', Effect: 'Allow', Action: icWrites, Resource: '*' });
  // SCP ids are made by CreatePolicy itself; ownership (journal, name) bounds which SCPs iam2sso changes.
  if (orgWrites.length) out.push({ Sid: 'Iam2ssoScpWrite', Effect: 'Allow', Action: orgWrites, Resource: '*' });
  // Users, roles, instance profiles, topics and rules iam2sso makes or retires; its ownership records bound which.
  if (objectWrites.length)
    out.push({ Sid: 'Iam2ssoObjectWrite', Effect: 'Allow', Action: objectWrites, Resource: objects });
  // IAM Roles Anywhere's CreateTrustAnchor and CreateProfile take no resource (Service Authorization Reference:
  // resource types none) and their ids are made by the service; iam2sso deletes only those its journal made.
  if (raWrites.length) out.push({ Sid: 'Iam2ssoRolesAnywhereWrite', Effect: 'Allow', Action: raWrites, Resource: '*' });
  if (actions.includes('sts:AssumeRole'))
    out.push({
      Sid: 'Iam2ssoAssumeMemberRole',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: `arn:${partition}:iam::*:role/${roleName}`,
    });
  if (assigns)
    // An assignment in the management account itself has Identity Center create the AWSReservedSSO_ role and
    // the SAML provider there on the caller's behalf; assignments in member accounts do not need these.
    out.push({
      Sid: 'Iam2ssoAssignInManagementAccount',
      Effect: 'Allow',
      Action: [
        'iam:AttachRolePolicy',
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:GetRole',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:PutRolePolicy',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:CreateSAMLProvider',
        'iam:GetSAMLProvider',
        'iam:UpdateSAMLProvider',
        'iam:DeleteSAMLProvider',
      ],
      Resource: [
        `arn:${partition}:iam::*:role/aws-reserved/sso.amazonaws.com/*`,
        `arn:${partition}:iam::*:saml-provider/AWSSSO_*`,
      ],
    });
  return out;
}

/** Apply's modules when the plan keeps accounts outside Identity Center (direct SAML federation made there). */
function withOutsideIdentityCenter(apply: CommandModules): CommandModules {
  const add = <T extends string>(list: T[], more: T[]) => [...new Set([...list, ...more])];
  return {
    ...apply,
    management: add(apply.management, OUTSIDE_IDENTITY_CENTER.aws),
    member: add(apply.member, OUTSIDE_IDENTITY_CENTER.aws),
    graph: add(apply.graph, OUTSIDE_IDENTITY_CENTER.graph),
  };
}

/**
 * The permissions `commands` need together; `partition` and `roleName` fill the AssumeRole resource, and the plan's
 * `identitySource` (default iam2sso-sync) decides what apply writes where; a plan that keeps accounts outside
 * Identity Center (`outsideIdentityCenter`) adds apply's SAML provider, role and Entra app writes.
 */
export function requiredPermissions(
  commands: PermissionCommand[],
  options: { partition: string; roleName: string; identitySource?: IdentitySource; outsideIdentityCenter?: boolean },
): RequiredPermissions {
  const source = options.identitySource ?? 'iam2sso-sync';
  const needs = commands.map((c) => {
    if (c !== 'apply') return COMMAND_MODULES[c];
    const apply = source !== 'iam2sso-sync' ? APPLY_BY_IDENTITY_SOURCE[source] : COMMAND_MODULES.apply;
    return options.outsideIdentityCenter ? withOutsideIdentityCenter(apply) : apply;
  });
  const assumes = needs.some((n) => n.assumesRole);
  const management = actionsOf(needs, 'management').filter((a) => assumes || a !== 'sts:AssumeRole');
  const member = actionsOf(needs, 'member');
  const objects = writeResources(needs, options.partition);
  const managementStatements = statements(
    management,
    options.partition,
    options.roleName,
    needs.some((n) => n.assigns),
    objects,
  );
  const graph = [...new Set(needs.flatMap((n) => n.graph.map((op) => REQUIRED_PERMISSION[op])))].sort();
  return {
    commands,
    management: managementStatements.length ? { Version: '2012-10-17', Statement: managementStatements } : null,
    member: member.length
      ? { Version: '2012-10-17', Statement: statements(member, options.partition, options.roleName, false, objects) }
      : null,
    memberRoleName: options.roleName,
    graphApplicationPermissions: graph,
    notes: needs.flatMap((n) => n.notes),
  };
}
