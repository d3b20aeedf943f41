/**
 * Recognises direct SAML federation to IAM (Entra's "AWS Single-Account Access" pattern, Microsoft's architecture
 * guide): IAM SAML providers that are not Identity Center's (`AWSSSO_...`), the roles whose trust lets a provider
 * call sts:AssumeRoleWithSAML, and the IAM user whose keys let Entra's provisioning read the roles (a user allowed
 * nothing but iam:ListRoles and iam:ListAccountAliases). The provisioning user is a service account with that
 * purpose, whatever its name says. Pure.
 */
import type { AccountSnapshot, Classification, UserRecord } from './model.js';

/** One account's direct federation: providers, the roles each trusts, and the provisioning users. */
export type DirectSamlFederation = {
  accountId: string;
  providers: { arn: string; roles: string[] }[];
  provisioningUsers: string[];
};

type Statement = { Effect?: string; Action?: string | string[]; Principal?: { Federated?: string | string[] } };

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function statementsOf(json: string): Statement[] {
  try {
    return list((JSON.parse(json) as { Statement?: Statement | Statement[] }).Statement);
  } catch {
    return [];
  }
}

/** The SAML provider ARNs a trust policy lets call sts:AssumeRoleWithSAML. */
export function trustedSamlProviders(trustPolicy: string): string[] {
  return statementsOf(trustPolicy)
    .filter((s) => s.Effect === 'Allow' && list(s.Action).some((a) => /^sts:AssumeRoleWithSAML$/i.test(a)))
    .flatMap((s) => list(s.Principal?.Federated))
    .filter((p) => p.includes(':saml-provider/'));
}

/** Identity Center's own SAML provider in each account (`AWSSSO_<hex>_DO_NOT_DELETE`): not direct federation. */
export function isIdentityCenterProvider(arn: string): boolean {
  return /:saml-provider\/AWSSSO_/.test(arn);
}

/** True when the trust policy lets a SAML provider other than Identity Center's assume the role. */
export function trustsDirectSaml(trustPolicy: string): boolean {
  return trustedSamlProviders(trustPolicy).some((p) => !isIdentityCenterProvider(p));
}

const PROVISIONING_ACTIONS = new Set(['iam:listroles', 'iam:listaccountaliases']);

/** True for a user allowed only iam:ListRoles (and iam:ListAccountAliases), through inline policies or managed ones. */
export function isProvisioningUser(user: UserRecord, account: AccountSnapshot): boolean {
  const docs = [
    ...user.inlinePolicies.map((p) => p.document),
    ...user.attachedPolicies.map((p) => account.policies.find((m) => m.arn === p.arn)?.document ?? null),
  ];
  if (docs.length === 0 || docs.some((d) => d === null)) return false;
  const actions = docs.flatMap((d) =>
    statementsOf(d ?? '')
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => list(s.Action).map((a) => a.toLowerCase())),
  );
  return actions.includes('iam:listroles') && actions.every((a) => PROVISIONING_ACTIONS.has(a));
}

/** The direct federation of an account, or null when it has none. */
export function recognizeDirectSaml(account: AccountSnapshot): DirectSamlFederation | null {
  const providers = account.samlProviders
    .map((p) => p.arn)
    .filter((arn) => !isIdentityCenterProvider(arn))
    .map((arn) => ({
      arn,
      roles: account.roles.filter((r) => trustedSamlProviders(r.trustPolicy).includes(arn)).map((r) => r.name),
    }));
  if (providers.length === 0) return null;
  return {
    accountId: account.accountId,
    providers,
    provisioningUsers: account.users.filter((u) => isProvisioningUser(u, account)).map((u) => u.userName),
  };
}

/** Classifications with each provisioning user of a direct federation made a service account with that purpose. */
export function classifyProvisioningUsers(
  classifications: Classification[],
  federations: DirectSamlFederation[],
): Classification[] {
  const provisioning = new Set(federations.flatMap((f) => f.provisioningUsers.map((u) => `${f.accountId}/${u}`)));
  return classifications.map((c) =>
    provisioning.has(`${c.accountId}/${c.userName}`)
      ? {
          ...c,
          category: 'service',
          confidence: 'high',
          decidedBy: 'direct-saml-provisioning',
          evidence: [
            "purpose: Entra provisioning of direct SAML federation (allowed only iam:ListRoles/iam:ListAccountAliases, so Entra's app can read the SAML roles)",
            ...c.evidence,
          ],
        }
      : c,
  );
}

/** One app role of an Entra "AWS Single-Account Access" app: the IAM role and provider it names, and who holds it. */
export type SamlAppRole = {
  appRoleId: string;
  roleArn: string;
  providerArn: string;
  /** Groups assigned the role, with the UPNs of their direct user members (Entra passes roles to direct members). */
  groups: { id: string; displayName: string; members: string[] }[];
  /** UPNs of the users assigned the role directly. */
  users: string[];
};

/** An enterprise app whose app roles are AWS `roleArn,providerArn` pairs (Entra's direct federation to IAM). */
export type DirectSamlApp = { servicePrincipalId: string; appId: string; displayName: string; roles: SamlAppRole[] };

/** What `audit` learnt of the Entra side of direct federation: the apps, or why they were not read. */
export type DirectSamlEntra =
  | { status: 'read'; apps: DirectSamlApp[] }
  | { status: 'not-configured' | 'failed'; detail: string };

const ROLE_ARN = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;
const PROVIDER_ARN = /^arn:[\w-]+:iam::\d{12}:saml-provider\/[\w.-]+$/;

/**
 * The role and provider an app role's value names: `roleArn,providerArn` in either order, as Entra's provisioning
 * imports them from the account and sends them in the Role claim. Null for any other value.
 */
export function parseSamlRoleValue(value: string | null | undefined): { roleArn: string; providerArn: string } | null {
  const parts = (value ?? '').split(',').map((p) => p.trim());
  if (parts.length !== 2) return null;
  const roleArn = parts.find((p) => ROLE_ARN.test(p));
  const providerArn = parts.find((p) => PROVIDER_ARN.test(p));
  return roleArn && providerArn ? { roleArn, providerArn } : null;
}

/** The account id and role name of a role ARN. */
export function roleOfArn(roleArn: string): { accountId: string; roleName: string } | null {
  const m = ROLE_ARN.exec(roleArn);
  return m ? { accountId: m[1], roleName: m[2] } : null;
}
