/**
 * IAM of one account as the direct SAML federation of an account outside Identity Center needs it: the SAML provider
 * (CreateSAMLProvider, GetSAMLProvider, UpdateSAMLProvider when Entra's certificate rotates, DeleteSAMLProvider) and
 * roles with the SAML trust and their managed policies. A name already taken is a NotManaged refusal; a delete of what
 * is gone succeeds. API reference: docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html (Name
 * 1-128 of [\w._-], SAMLMetadataDocument 1000-10,000,000 characters), API_UpdateSAMLProvider.html,
 * API_CreateRole.html, API_AttachRolePolicy.html, API_ListAttachedRolePolicies.html.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  DeleteRoleCommand,
  DeleteSAMLProviderCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetSAMLProviderCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  UpdateSAMLProviderCommand,
} from '@aws-sdk/client-iam';
import { NotManagedError } from '../core/reconcile/not-managed.js';

/** What the family reads and writes in one account. */
export type SamlKeepIamPort = {
  /** The provider's metadata document, or null when there is no provider of that ARN. */
  getProvider(arn: string): Promise<string | null>;
  createProvider(name: string, metadata: string, tags: Record<string, string>): Promise<string>;
  updateProvider(arn: string, metadata: string): Promise<void>;
  deleteProvider(arn: string): Promise<void>;
  /** The role's ARN and the ARNs of its attached managed policies, or null when there is none of that name. */
  getRole(roleName: string): Promise<{ arn: string; policies: string[] } | null>;
  createRole(roleName: string, trustPolicy: string, description: string, tags: Record<string, string>): Promise<string>;
  deleteRole(roleName: string): Promise<void>;
  attachPolicy(roleName: string, policyArn: string): Promise<void>;
  detachPolicy(roleName: string, policyArn: string): Promise<void>;
};

const notFound = (e: unknown) => ['NoSuchEntity', 'NoSuchEntityException'].includes((e as Error).name);
const taken = (e: unknown) => ['EntityAlreadyExists', 'EntityAlreadyExistsException'].includes((e as Error).name);
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (notFound(error)) return null;
    throw error;
  }
}

async function creating<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (taken(error)) throw new NotManagedError(what, 'adopt: true');
    throw error;
  }
}

/** The port over one account's IAM client. */
export function samlKeepIam(iam: IAMClient): SamlKeepIamPort {
  return {
    async getProvider(arn) {
      const out = await orNull(() => iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn })));
      return out?.SAMLMetadataDocument ?? null;
    },
    async createProvider(name, metadata, tags) {
      const out = await creating(`IAM SAML provider ${name}`, () =>
        iam.send(new CreateSAMLProviderCommand({ Name: name, SAMLMetadataDocument: metadata, Tags: tagList(tags) })),
      );
      return out.SAMLProviderArn ?? '';
    },
    updateProvider: async (arn, metadata) =>
      void (await iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arn, SAMLMetadataDocument: metadata }))),
    deleteProvider: async (arn) =>
      void (await orNull(() => iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arn })))),
    async getRole(roleName) {
      const role = await orNull(() => iam.send(new GetRoleCommand({ RoleName: roleName })));
      if (!role?.Role) return null;
      const policies: string[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
        policies.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      return { arn: role.Role.Arn ?? '', policies };
    },
    async createRole(roleName, trustPolicy, description, tags) {
      const out = await creating(`IAM role ${roleName}`, () =>
        iam.send(
          new CreateRoleCommand({
            RoleName: roleName,
            AssumeRolePolicyDocument: trustPolicy,
            Description: description,
            Tags: tagList(tags),
          }),
        ),
      );
      return out.Role?.Arn ?? '';
    },
    deleteRole: async (roleName) => void (await orNull(() => iam.send(new DeleteRoleCommand({ RoleName: roleName })))),
    attachPolicy: async (roleName, policyArn) =>
      void (await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }))),
    detachPolicy: async (roleName, policyArn) =>
      void (await orNull(() => iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })))),
  };
}

/**
 * The trust of a role people reach through the provider: sts:AssumeRoleWithSAML for the provider, with the audience
 * of AWS's sign-in endpoint (docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html).
 */
export function samlTrustPolicy(providerArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ],
  });
}
