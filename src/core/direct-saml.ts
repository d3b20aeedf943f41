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
    .filter((arn) => !/:saml-provider\/AWSSSO_/.test(arn))
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
