/**
 * The IAM port of `breakglass` and `replace` over @aws-sdk/client-iam (users, roles, OIDC providers, instance
 * profiles): a name already taken is a NotManaged refusal
 * (never "created"), and a delete of what is already gone succeeds (NoSuchEntity). Tags mark what iam2sso made.
 */
import {
  AddRoleToInstanceProfileCommand,
  AttachUserPolicyCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteInstanceProfileCommand,
  DeleteLoginProfileCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DetachUserPolicyCommand,
  GetInstanceProfileCommand,
  GetLoginProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  type IAMClient,
  ListAttachedUserPoliciesCommand,
  ListMFADevicesCommand,
  ListOpenIDConnectProvidersCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { NotManagedError } from '../core/reconcile/not-managed.js';
import type { IamWritePort } from '../iam-changes/ports.js';

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntity' || (error as Error).name === 'NoSuchEntityException') return null;
    throw error;
  }
}

async function gone(call: () => Promise<unknown>): Promise<void> {
  await orNull(call);
}

async function creating<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'EntityAlreadyExists' || name === 'EntityAlreadyExistsException')
      throw new NotManagedError(what, 'iam2sso adopt (not available yet): choose another name');
    throw error;
  }
}

/** The IAM port over one account's client. */
export function iamWriter(iam: IAMClient): IamWritePort {
  return {
    async getUser(userName) {
      const user = await orNull(() => iam.send(new GetUserCommand({ UserName: userName })));
      if (!user?.User) return null;
      const [mfa, attached, profile] = await Promise.all([
        iam.send(new ListMFADevicesCommand({ UserName: userName })),
        iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
        orNull(() => iam.send(new GetLoginProfileCommand({ UserName: userName }))),
      ]);
      return {
        arn: user.User.Arn ?? '',
        tags: Object.fromEntries((user.User.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
        hasPassword: profile !== null,
        mfaDevices: (mfa.MFADevices ?? []).map((d) => d.SerialNumber ?? ''),
        attachedPolicies: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
      };
    },
    async createUser(userName, tags) {
      const out = await creating(`IAM user ${userName}`, () =>
        iam.send(new CreateUserCommand({ UserName: userName, Tags: tagList(tags) })),
      );
      return out.User?.Arn ?? '';
    },
    deleteUser: (userName) => gone(() => iam.send(new DeleteUserCommand({ UserName: userName }))),
    attachUserPolicy: async (userName, policyArn) =>
      void (await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }))),
    detachUserPolicy: (userName, policyArn) =>
      gone(() => iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }))),
    createLoginProfile: async (userName, password, resetRequired) =>
      void (await creating(`the console password of ${userName}`, () =>
        iam.send(
          new CreateLoginProfileCommand({
            UserName: userName,
            Password: password,
            PasswordResetRequired: resetRequired,
          }),
        ),
      )),
    deleteLoginProfile: (userName) => gone(() => iam.send(new DeleteLoginProfileCommand({ UserName: userName }))),
    async getRole(roleName) {
      const out = await orNull(() => iam.send(new GetRoleCommand({ RoleName: roleName })));
      if (!out?.Role) return null;
      return { arn: out.Role.Arn ?? '', trustPolicy: decodeURIComponent(out.Role.AssumeRolePolicyDocument ?? '') };
    },
    async createRole(input) {
      const out = await creating(`IAM role ${input.roleName}`, () =>
        iam.send(
          new CreateRoleCommand({
            RoleName: input.roleName,
            AssumeRolePolicyDocument: input.trustPolicy,
            Description: input.description,
            Tags: tagList(input.tags),
          }),
        ),
      );
      return out.Role?.Arn ?? '';
    },
    deleteRole: (roleName) => gone(() => iam.send(new DeleteRoleCommand({ RoleName: roleName }))),
    async getRolePolicy(roleName, policyName) {
      const out = await orNull(() =>
        iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
      );
      return out?.PolicyDocument ? decodeURIComponent(out.PolicyDocument) : null;
    },
    putRolePolicy: async (roleName, policyName, document) =>
      void (await iam.send(
        new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: document }),
      )),
    deleteRolePolicy: (roleName, policyName) =>
      gone(() => iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))),
    async listOidcProviders() {
      const out = await iam.send(new ListOpenIDConnectProvidersCommand({}));
      return (out.OpenIDConnectProviderList ?? []).map((p) => p.Arn ?? '');
    },
    async createOidcProvider(url, clientIds, thumbprints, tags) {
      const out = await creating(`IAM OIDC provider ${url}`, () =>
        iam.send(
          new CreateOpenIDConnectProviderCommand({
            Url: url,
            ClientIDList: clientIds,
            ThumbprintList: thumbprints,
            Tags: tagList(tags),
          }),
        ),
      );
      return out.OpenIDConnectProviderArn ?? '';
    },
    deleteOidcProvider: (arn) =>
      gone(() => iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))),
    async getInstanceProfile(name) {
      const out = await orNull(() => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })));
      const p = out?.InstanceProfile;
      return p ? { arn: p.Arn ?? '', roles: (p.Roles ?? []).map((r) => r.RoleName ?? '') } : null;
    },
    async createInstanceProfile(name, tags) {
      const out = await creating(`IAM instance profile ${name}`, () =>
        iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Tags: tagList(tags) })),
      );
      return out.InstanceProfile?.Arn ?? '';
    },
    deleteInstanceProfile: (name) =>
      gone(() => iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }))),
    addRoleToInstanceProfile: async (name, roleName) =>
      void (await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: roleName }))),
    removeRoleFromInstanceProfile: (name, roleName) =>
      gone(() => iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: roleName }))),
  };
}
