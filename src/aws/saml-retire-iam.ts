/**
 * IAM reads and writes of `decommission saml`: a role read whole before it is deleted (trust policy, managed and
 * inline policies, tags, maximum session, boundary) and a SAML provider's metadata document, then the deletes in the
 * order IAM requires and the recreates of a rollback. Deletes of what is already gone and recreates of what is
 * already there (from the same snapshot) succeed, so a resumed run does nothing twice.
 * Sources: IAM API reference DeleteRole ("you must first remove ... inline policies (DeleteRolePolicy) ... attached
 * managed policies (DetachRolePolicy) ... instance profile (RemoveRoleFromInstanceProfile)"; DeleteConflict
 * otherwise), GetSAMLProvider (SAMLMetadataDocument, Tags), CreateSAMLProvider (SAMLMetadataDocument, Name, Tags).
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteSAMLProviderCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetSAMLProviderCommand,
  type IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import type { SamlProviderSnapshot, SamlRoleSnapshot } from '../core/reconcile/changes-saml-retire.js';

const gone = (e: unknown) => /^NoSuchEntity/.test((e as Error).name ?? '');
const exists = (e: unknown) => /^EntityAlreadyExists/.test((e as Error).name ?? '');

async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (e) {
    if (gone(e)) return null;
    throw e;
  }
}

/** The role as a rollback recreates it, or null when there is none. */
export async function readSamlRole(iam: IAMClient, roleName: string): Promise<SamlRoleSnapshot | null> {
  const got = await orNull(iam.send(new GetRoleCommand({ RoleName: roleName })));
  if (!got?.Role) return null;
  const r = got.Role;
  const attached: string[] = [];
  for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }))
    for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) attached.push(p.PolicyArn);
  const inline: { name: string; document: string }[] = [];
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName }))
    for (const name of page.PolicyNames ?? []) {
      const doc = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      inline.push({ name, document: decodeURIComponent(doc.PolicyDocument ?? '') });
    }
  return {
    path: r.Path ?? '/',
    // IAM returns policy documents URL-encoded (IAM API reference, GetRole: "AssumeRolePolicyDocument ... URL-encoded").
    trustPolicy: decodeURIComponent(r.AssumeRolePolicyDocument ?? ''),
    description: r.Description ?? '',
    maxSessionDuration: r.MaxSessionDuration ?? 3600,
    permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    tags: (r.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    attachedPolicies: attached.sort(),
    inlinePolicies: inline,
  };
}

/** Deletes the role: its inline policies, its managed policies, then the role. */
export async function deleteSamlRole(iam: IAMClient, roleName: string): Promise<void> {
  // Read again when the change runs: what is attached now is what must go first (the snapshot is the undo's).
  const live = await readSamlRole(iam, roleName);
  if (!live) return;
  for (const p of live.inlinePolicies)
    await orNull(iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: p.name })));
  for (const arn of live.attachedPolicies)
    await orNull(iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn })));
  await orNull(iam.send(new DeleteRoleCommand({ RoleName: roleName })));
}

/** Recreates the role from its snapshot (a role already there is completed, not refused: the same run made it). */
export async function createSamlRole(iam: IAMClient, roleName: string, s: SamlRoleSnapshot): Promise<void> {
  try {
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        Path: s.path,
        AssumeRolePolicyDocument: s.trustPolicy,
        Description: s.description || undefined,
        MaxSessionDuration: s.maxSessionDuration,
        PermissionsBoundary: s.permissionsBoundary ?? undefined,
        Tags: s.tags.length ? s.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined,
      }),
    );
  } catch (e) {
    if (!exists(e)) throw e;
    if (s.permissionsBoundary)
      await iam.send(
        new PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: s.permissionsBoundary }),
      );
  }
  for (const arn of s.attachedPolicies)
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
  for (const p of s.inlinePolicies)
    await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: p.name, PolicyDocument: p.document }));
}

/** The provider's metadata document and tags, or null when there is none. */
export async function readSamlProvider(iam: IAMClient, arn: string): Promise<SamlProviderSnapshot | null> {
  const got = await orNull(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn })));
  if (!got) return null;
  return {
    metadata: got.SAMLMetadataDocument ?? '',
    tags: (got.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
  };
}

/** Deletes the provider (gone already: done). */
export async function deleteSamlProvider(iam: IAMClient, arn: string): Promise<void> {
  await orNull(iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arn })));
}

/** Recreates the provider from its metadata (there already: done). */
export async function createSamlProvider(iam: IAMClient, name: string, s: SamlProviderSnapshot): Promise<void> {
  try {
    await iam.send(
      new CreateSAMLProviderCommand({
        Name: name,
        SAMLMetadataDocument: s.metadata,
        Tags: s.tags.length ? s.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined,
      }),
    );
  } catch (e) {
    if (!exists(e)) throw e;
  }
}
