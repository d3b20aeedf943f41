/**
 * The AWS half of `explain`: the Identity Store user whose userName is the UPN (or the same person under another
 * name, matched by email or by the Entra object id as external id), their groups (ListGroupMembershipsForMember),
 * their account assignments directly and through those groups (ListAccountAssignmentsForPrincipal), the
 * AWSReservedSSO_ roles in those accounts (IAM ListRoles under /aws-reserved/sso.amazonaws.com/, read as the
 * permission set names by src/verify), and sign-ins in CloudTrail (LookupEvents by user name, 90 days).
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { paginateListRoles } from '@aws-sdk/client-iam';
import {
  DescribeGroupCommand,
  DescribeUserCommand,
  GetUserIdCommand,
  type IdentitystoreClient,
  paginateListGroupMembershipsForMember,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import { DescribePermissionSetCommand, paginateListAccountAssignmentsForPrincipal } from '@aws-sdk/client-sso-admin';
import { type AwsSettings, clientConfig } from '../aws/clients.js';
import type { InstanceScope } from '../aws/identity-center-instance.js';
import type { AccountIam } from '../verify/account-iam.js';
import { permissionSetOfRole, RESERVED_ROLE_PATH } from '../verify/reserved-roles.js';
import type { ExplainFacts } from './chain.js';

export type AwsReaders = { scope: InstanceScope; store: IdentitystoreClient; iam: AccountIam; settings: AwsSettings };

type Person = { upn: string; entraId: string | null; mail: string | null };

async function findStoreUser(
  r: AwsReaders,
  storeId: string,
  person: Person,
): Promise<Pick<ExplainFacts, 'storeUser' | 'storeNearMatch'>> {
  try {
    const { UserId } = await r.store.send(
      new GetUserIdCommand({
        IdentityStoreId: storeId,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: person.upn } },
      }),
    );
    // The lookup ignores case; the SAML NameID must match the user name exactly.
    const { UserName } = await r.store.send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId }));
    if (UserName === person.upn) return { storeUser: { id: UserId!, userName: UserName }, storeNearMatch: null };
    return { storeUser: null, storeNearMatch: { userName: UserName ?? '', matchedBy: 'name in another case' } };
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const wanted = new Set([person.upn, person.mail].filter(Boolean).map((v) => v!.toLowerCase()));
  for await (const page of paginateListUsers({ client: r.store }, { IdentityStoreId: storeId })) {
    for (const u of page.Users ?? []) {
      if (u.UserName === person.upn)
        return { storeUser: { id: u.UserId!, userName: u.UserName! }, storeNearMatch: null };
      const byExternal = person.entraId && u.ExternalIds?.some((x) => x.Id === person.entraId);
      const byEmail = u.Emails?.some((e) => e.Value && wanted.has(e.Value.toLowerCase()));
      const byCase = u.UserName?.toLowerCase() === person.upn.toLowerCase();
      if (byExternal || byEmail || byCase)
        return {
          storeUser: null,
          storeNearMatch: {
            userName: u.UserName!,
            matchedBy: byExternal ? 'Entra object id' : byEmail ? 'email' : 'name in another case',
          },
        };
    }
  }
  return { storeUser: null, storeNearMatch: null };
}

async function groupsOf(r: AwsReaders, storeId: string, userId: string): Promise<{ id: string; name: string }[]> {
  const ids: string[] = [];
  for await (const page of paginateListGroupMembershipsForMember(
    { client: r.store },
    { IdentityStoreId: storeId, MemberId: { UserId: userId } },
  ))
    for (const m of page.GroupMemberships ?? []) if (m.GroupId) ids.push(m.GroupId);
  return Promise.all(
    ids.map(async (id) => ({
      id,
      name: (await r.store.send(new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: id }))).DisplayName ?? id,
    })),
  );
}

async function assignmentsOf(r: AwsReaders, principals: { id: string; type: 'USER' | 'GROUP'; via: string }[]) {
  const instanceArn = await r.scope.arn();
  const names = new Map<string, Promise<string>>();
  const nameOf = (arn: string) => {
    if (!names.has(arn))
      names.set(
        arn,
        r.scope.client
          .send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }))
          .then((o) => o.PermissionSet?.Name ?? arn),
      );
    return names.get(arn)!;
  };
  const out: ExplainFacts['assignments'] = [];
  for (const p of principals) {
    const pages = paginateListAccountAssignmentsForPrincipal(
      { client: r.scope.client },
      { InstanceArn: instanceArn, PrincipalId: p.id, PrincipalType: p.type },
    );
    for await (const page of pages)
      for (const a of page.AccountAssignments ?? [])
        out.push({ accountId: a.AccountId!, permissionSet: await nameOf(a.PermissionSetArn!), via: p.via });
  }
  return out.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.permissionSet.localeCompare(b.permissionSet));
}

async function rolesIn(r: AwsReaders, assignments: ExplainFacts['assignments']): Promise<ExplainFacts['roles']> {
  const byAccount = new Map<string, Map<string, string>>();
  for (const accountId of new Set(assignments.map((a) => a.accountId))) {
    const iam = await r.iam.iamFor(accountId);
    const roles = new Map<string, string>();
    for await (const page of paginateListRoles({ client: iam }, { PathPrefix: RESERVED_ROLE_PATH }))
      for (const role of page.Roles ?? []) {
        const ps = permissionSetOfRole(role.RoleName ?? '');
        if (ps) roles.set(ps, role.RoleName!);
      }
    byAccount.set(accountId, roles);
  }
  const seen = new Set<string>();
  return assignments
    .filter((a) => !seen.has(`${a.accountId}|${a.permissionSet}`) && seen.add(`${a.accountId}|${a.permissionSet}`))
    .map((a) => ({
      accountId: a.accountId,
      permissionSet: a.permissionSet,
      roleName: byAccount.get(a.accountId)?.get(a.permissionSet) ?? null,
    }));
}

const SIGN_IN_EVENTS = new Set(['UserAuthentication', 'Authenticate', 'Federate', 'CreateToken']);

async function signInsOf(r: AwsReaders, userName: string): Promise<ExplainFacts['signIns']> {
  const client = new CloudTrailClient(clientConfig(r.settings));
  try {
    const out = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: userName }],
        MaxResults: 50,
      }),
    );
    const events = (out.Events ?? []).filter((e) => SIGN_IN_EVENTS.has(e.EventName ?? ''));
    const last =
      events
        .map((e) => e.EventTime?.toISOString() ?? '')
        .sort()
        .pop() ?? null;
    return {
      count: events.length,
      last,
      source: 'CloudTrail LookupEvents in the Identity Center account, last 90 days',
    };
  } catch {
    return null;
  } finally {
    client.destroy();
  }
}

/** Reads the AWS facts of a person. */
export async function readAwsFacts(
  r: AwsReaders,
  person: Person,
): Promise<Omit<ExplainFacts, 'upn' | 'entraUser' | 'app' | 'certificates'>> {
  const { identityStoreId } = await r.scope.instance();
  const found = await findStoreUser(r, identityStoreId, person);
  if (!found.storeUser) return { ...found, storeGroups: [], assignments: [], roles: [], signIns: null };
  const groups = await groupsOf(r, identityStoreId, found.storeUser.id);
  const principals = [
    { id: found.storeUser.id, type: 'USER' as const, via: 'user' },
    ...groups.map((g) => ({ id: g.id, type: 'GROUP' as const, via: g.name })),
  ];
  const assignments = await assignmentsOf(r, principals);
  const [roles, signIns] = await Promise.all([rolesIn(r, assignments), signInsOf(r, found.storeUser.userName)]);
  return { ...found, storeGroups: groups.map((g) => g.name).sort(), assignments, roles, signIns };
}
