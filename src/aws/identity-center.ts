/**
 * The Identity Center (SSO Admin) adapter behind apply's port: SDK v3 with adaptive retries, every attempt
 * paced by a shared client-side rate limiter, and idempotent writes: "already exists" and "not found on
 * delete" are success, and "an operation is in progress" waits and retries, all in `idempotent` below.
 */
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DeletePermissionSetCommand,
  DeletePermissionsBoundaryFromPermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  DetachCustomerManagedPolicyReferenceFromPermissionSetCommand,
  DetachManagedPolicyFromPermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListInstancesCommand,
  ListTagsForResourceCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  paginateListAccountAssignmentCreationStatus,
  paginateListAccountAssignmentDeletionStatus,
  paginateListAccountAssignments,
  paginateListAccountsForProvisionedPermissionSet,
  paginateListCustomerManagedPolicyReferencesInPermissionSet,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSetProvisioningStatus,
  paginateListPermissionSets,
  SSOAdminClient,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import type {
  AssignmentRef,
  AsyncKind,
  AsyncStatus,
  IdentityCenterPort,
  PermissionSetInfo,
  PermissionSetPolicies,
} from '../apply/ports.js';
import type { BoundaryRef } from '../core/reconcile/desired.js';
import { type AwsSettings, clientConfig, countRequests } from './clients.js';

/** Called before every attempt (retries included), e.g. a token bucket's `take`. */
export type Pacer = () => Promise<void>;

type Paced = {
  middlewareStack: { addRelativeTo(mw: unknown, o: { relation: string; toMiddleware: string; name: string }): void };
};

/** Paces every attempt of a client (after the retry middleware, so retries wait for a token too). */
export function paceClient<T>(client: T, pace: Pacer): T {
  (client as unknown as Paced).middlewareStack.addRelativeTo(
    (next: (a: unknown) => Promise<unknown>) => async (args: unknown) => {
      await pace();
      return next(args);
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'iam2ssoPacer' },
  );
  return client;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a failed write means: done already, retry later, or a real failure. */
function outcome(error: unknown, on: { exists?: boolean; missing?: boolean }): 'success' | 'retry' | 'fail' {
  const e = error as Error;
  const message = e.message ?? '';
  if (e.name === 'ConflictException' && /in progress|try again/i.test(message)) return 'retry';
  if (on.exists && e.name === 'ConflictException') return 'success';
  if (on.missing && e.name === 'ResourceNotFoundException') return 'success';
  return 'fail';
}

/**
 * Runs a write so that repeating it is harmless: `exists` treats ConflictException (already there) as success,
 * `missing` treats ResourceNotFoundException (already gone) as success; "in progress" conflicts are retried.
 * Returns undefined when the call was skipped as already done.
 */
export async function idempotent<T>(
  call: () => Promise<T>,
  on: { exists?: boolean; missing?: boolean },
  retries = 30,
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const o = outcome(error, on);
      if (o === 'success') return undefined;
      if (o === 'fail' || attempt >= retries) throw error;
      await wait(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
    }
  }
}

function boundaryOf(b: {
  ManagedPolicyArn?: string;
  CustomerManagedPolicyReference?: { Name?: string; Path?: string };
}): BoundaryRef {
  if (b.ManagedPolicyArn) return { managedPolicyArn: b.ManagedPolicyArn };
  const ref = b.CustomerManagedPolicyReference ?? {};
  return { customerManagedPolicy: { name: ref.Name ?? '', path: ref.Path ?? '/' } };
}

/** Creates the SSO Admin client: the product's AWS settings, counted, paced. */
export function createSsoAdminClient(settings: AwsSettings, pace: Pacer): SSOAdminClient {
  return paceClient(countRequests(new SSOAdminClient(clientConfig(settings)), 'sso', settings.counter), pace);
}

/** The Identity Center port over an SSO Admin client. */
export function identityCenterAdapter(client: SSOAdminClient): IdentityCenterPort {
  let instanceArn: string | undefined;
  let storeId: string | undefined;
  const instance = async () => {
    if (!instanceArn) {
      const out = await client.send(new ListInstancesCommand({}));
      const first = out.Instances?.[0];
      if (!first?.InstanceArn) throw new Error('no IAM Identity Center instance: enable Identity Center first');
      instanceArn = first.InstanceArn;
      storeId = first.IdentityStoreId;
    }
    return { instanceArn, identityStoreId: storeId ?? '' };
  };
  const arn = async () => (await instance()).instanceArn;
  const ps = async (PermissionSetArn: string) => ({ InstanceArn: await arn(), PermissionSetArn });
  const assignment = async (a: AssignmentRef) => ({
    InstanceArn: await arn(),
    TargetId: a.accountId,
    TargetType: 'AWS_ACCOUNT' as const,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  });

  const listPermissionSets = async (): Promise<PermissionSetInfo[]> => {
    const InstanceArn = await arn();
    const out: PermissionSetInfo[] = [];
    for await (const page of paginateListPermissionSets({ client }, { InstanceArn }))
      for (const psArn of page.PermissionSets ?? []) {
        const d = await client.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn: psArn }));
        const tags: Record<string, string> = {};
        const t = await client.send(new ListTagsForResourceCommand({ InstanceArn, ResourceArn: psArn }));
        for (const tag of t.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
        const p = d.PermissionSet ?? {};
        out.push({
          arn: psArn,
          name: p.Name ?? '',
          description: p.Description ?? '',
          sessionDuration: p.SessionDuration ?? 'PT1H',
          tags,
        });
      }
    return out;
  };

  const readPolicies = async (psArn: string): Promise<PermissionSetPolicies> => {
    const input = await ps(psArn);
    const managedPolicies: string[] = [];
    for await (const page of paginateListManagedPoliciesInPermissionSet({ client }, input))
      for (const p of page.AttachedManagedPolicies ?? []) if (p.Arn) managedPolicies.push(p.Arn);
    const customerManagedPolicies: { name: string; path: string }[] = [];
    for await (const page of paginateListCustomerManagedPolicyReferencesInPermissionSet({ client }, input))
      for (const r of page.CustomerManagedPolicyReferences ?? [])
        customerManagedPolicies.push({ name: r.Name ?? '', path: r.Path ?? '/' });
    const inline = await client.send(new GetInlinePolicyForPermissionSetCommand(input));
    let permissionsBoundary: BoundaryRef | null = null;
    try {
      const b = await client.send(new GetPermissionsBoundaryForPermissionSetCommand(input));
      if (b.PermissionsBoundary) permissionsBoundary = boundaryOf(b.PermissionsBoundary);
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    return {
      managedPolicies,
      customerManagedPolicies,
      inlinePolicy: inline.InlinePolicy ? inline.InlinePolicy : null,
      permissionsBoundary,
    };
  };

  type RawStatus = {
    Status?: string;
    FailureReason?: string;
    TargetId?: string;
    PermissionSetArn?: string;
    PrincipalType?: string;
    PrincipalId?: string;
  };
  const describeAsync = async (kind: AsyncKind, requestId: string): Promise<RawStatus> => {
    const InstanceArn = await arn();
    if (kind === 'create-assignment')
      return (
        (
          await client.send(
            new DescribeAccountAssignmentCreationStatusCommand({
              InstanceArn,
              AccountAssignmentCreationRequestId: requestId,
            }),
          )
        ).AccountAssignmentCreationStatus ?? {}
      );
    if (kind === 'delete-assignment')
      return (
        (
          await client.send(
            new DescribeAccountAssignmentDeletionStatusCommand({
              InstanceArn,
              AccountAssignmentDeletionRequestId: requestId,
            }),
          )
        ).AccountAssignmentDeletionStatus ?? {}
      );
    const p = (
      await client.send(
        new DescribePermissionSetProvisioningStatusCommand({ InstanceArn, ProvisionPermissionSetRequestId: requestId }),
      )
    ).PermissionSetProvisioningStatus;
    return { ...p, TargetId: p?.AccountId };
  };

  const asyncStatus = async (kind: AsyncKind, requestId: string): Promise<AsyncStatus> => {
    const s = await describeAsync(kind, requestId);
    return { status: (s.Status ?? 'IN_PROGRESS') as AsyncStatus['status'], failureReason: s.FailureReason };
  };

  const inProgress = async (kind: AsyncKind) => {
    const InstanceArn = await arn();
    const input = { InstanceArn, Filter: { Status: 'IN_PROGRESS' as const } };
    const ids: string[] = [];
    if (kind === 'create-assignment') {
      for await (const page of paginateListAccountAssignmentCreationStatus({ client }, input))
        for (const s of page.AccountAssignmentsCreationStatus ?? []) if (s.RequestId) ids.push(s.RequestId);
    } else if (kind === 'delete-assignment') {
      for await (const page of paginateListAccountAssignmentDeletionStatus({ client }, input))
        for (const s of page.AccountAssignmentsDeletionStatus ?? []) if (s.RequestId) ids.push(s.RequestId);
    } else {
      for await (const page of paginateListPermissionSetProvisioningStatus({ client }, input))
        for (const s of page.PermissionSetsProvisioningStatus ?? []) if (s.RequestId) ids.push(s.RequestId);
    }
    const out: { requestId: string; target: Partial<AssignmentRef> }[] = [];
    for (const requestId of ids) {
      const target = await describeTarget(kind, requestId);
      out.push({ requestId, target });
    }
    return out;
  };

  const describeTarget = async (kind: AsyncKind, requestId: string): Promise<Partial<AssignmentRef>> => {
    const v = await describeAsync(kind, requestId);
    return {
      accountId: v.TargetId,
      permissionSetArn: v.PermissionSetArn,
      principalType: v.PrincipalType as AssignmentRef['principalType'] | undefined,
      principalId: v.PrincipalId,
    };
  };

  return {
    instance,
    listPermissionSets,
    readPolicies,
    async provisionedAccounts(psArn, outdated) {
      const ids: string[] = [];
      const input = {
        ...(await ps(psArn)),
        ...(outdated ? { ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' as const } : {}),
      };
      for await (const page of paginateListAccountsForProvisionedPermissionSet({ client }, input))
        ids.push(...(page.AccountIds ?? []));
      return ids;
    },
    async listAssignments(accountId, psArn) {
      const out: AssignmentRef[] = [];
      const input = { ...(await ps(psArn)), AccountId: accountId };
      for await (const page of paginateListAccountAssignments({ client }, input))
        for (const a of page.AccountAssignments ?? [])
          out.push({
            accountId,
            permissionSetArn: psArn,
            principalType: a.PrincipalType as 'GROUP' | 'USER',
            principalId: a.PrincipalId ?? '',
          });
      return out;
    },
    asyncStatus,
    inProgress,
    async createPermissionSet(p) {
      const InstanceArn = await arn();
      const Tags = Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value }));
      const created = await idempotent(
        () =>
          client.send(
            new CreatePermissionSetCommand({
              InstanceArn,
              Name: p.name,
              Description: p.description,
              SessionDuration: p.sessionDuration,
              Tags,
            }),
          ),
        { exists: true },
      );
      const fresh = created?.PermissionSet?.PermissionSetArn;
      if (fresh) return fresh;
      const found = (await listPermissionSets()).find((x) => x.name === p.name);
      if (!found) throw new Error(`permission set ${p.name} exists but could not be found`);
      return found.arn;
    },
    async updatePermissionSet(psArn, p) {
      const input = { ...(await ps(psArn)), Description: p.description, SessionDuration: p.sessionDuration };
      await idempotent(() => client.send(new UpdatePermissionSetCommand(input)), {});
    },
    async deletePermissionSet(psArn) {
      const input = await ps(psArn);
      await idempotent(() => client.send(new DeletePermissionSetCommand(input)), { missing: true });
    },
    async attachManagedPolicy(psArn, ManagedPolicyArn) {
      const input = { ...(await ps(psArn)), ManagedPolicyArn };
      await idempotent(() => client.send(new AttachManagedPolicyToPermissionSetCommand(input)), { exists: true });
    },
    async detachManagedPolicy(psArn, ManagedPolicyArn) {
      const input = { ...(await ps(psArn)), ManagedPolicyArn };
      await idempotent(() => client.send(new DetachManagedPolicyFromPermissionSetCommand(input)), { missing: true });
    },
    async attachCustomerManagedPolicy(psArn, ref) {
      const input = { ...(await ps(psArn)), CustomerManagedPolicyReference: { Name: ref.name, Path: ref.path } };
      await idempotent(() => client.send(new AttachCustomerManagedPolicyReferenceToPermissionSetCommand(input)), {
        exists: true,
      });
    },
    async detachCustomerManagedPolicy(psArn, ref) {
      const input = { ...(await ps(psArn)), CustomerManagedPolicyReference: { Name: ref.name, Path: ref.path } };
      await idempotent(() => client.send(new DetachCustomerManagedPolicyReferenceFromPermissionSetCommand(input)), {
        missing: true,
      });
    },
    async putInlinePolicy(psArn, InlinePolicy) {
      const input = { ...(await ps(psArn)), InlinePolicy };
      await idempotent(() => client.send(new PutInlinePolicyToPermissionSetCommand(input)), {});
    },
    async deleteInlinePolicy(psArn) {
      const input = await ps(psArn);
      await idempotent(() => client.send(new DeleteInlinePolicyFromPermissionSetCommand(input)), { missing: true });
    },
    async putPermissionsBoundary(psArn, b) {
      const PermissionsBoundary =
        'managedPolicyArn' in b
          ? { ManagedPolicyArn: b.managedPolicyArn }
          : {
              CustomerManagedPolicyReference: {
                Name: b.customerManagedPolicy.name,
                Path: b.customerManagedPolicy.path,
              },
            };
      const input = { ...(await ps(psArn)), PermissionsBoundary };
      await idempotent(() => client.send(new PutPermissionsBoundaryToPermissionSetCommand(input)), {});
    },
    async deletePermissionsBoundary(psArn) {
      const input = await ps(psArn);
      await idempotent(() => client.send(new DeletePermissionsBoundaryFromPermissionSetCommand(input)), {
        missing: true,
      });
    },
    async createAssignment(a) {
      const input = await assignment(a);
      const out = await idempotent(() => client.send(new CreateAccountAssignmentCommand(input)), {});
      return out?.AccountAssignmentCreationStatus?.RequestId ?? '';
    },
    async deleteAssignment(a) {
      const input = await assignment(a);
      const out = await idempotent(() => client.send(new DeleteAccountAssignmentCommand(input)), { missing: true });
      return out?.AccountAssignmentDeletionStatus?.RequestId ?? null;
    },
    async provision(psArn, accountId) {
      const input = { ...(await ps(psArn)), TargetType: 'AWS_ACCOUNT' as const, TargetId: accountId };
      const out = await idempotent(() => client.send(new ProvisionPermissionSetCommand(input)), {});
      return out?.PermissionSetProvisioningStatus?.RequestId ?? '';
    },
  };
}
