/**
 * A standalone account (in no organization) cannot get Identity Center access to AWS accounts, so its plan says so
 * and makes no Identity Center object it could not use: the decision is "outside Identity Center: direct SAML
 * federation", with the reason and the AWS documentation. The facts, from the IAM Identity Center user guide:
 * - "Manage organization and account instances" (identity-center-instances.html), its table of capabilities: an
 *   instance in a standalone account (an account instance) has no "multi-account permissions", no "AWS access
 *   portal for single sign-on access to your AWS accounts" and no SAML 2.0 customer managed applications; it serves
 *   AWS managed applications and OAuth 2.0 (OIDC) customer managed applications only.
 * - "Account instances of IAM Identity Center" (account-instances-identity-center.html): bound to one account and
 *   region, "used only to manage user and group access for supported applications in the same account".
 * - "IAM Identity Center and AWS Organizations" (prereq-orgs.html): an organization instance is enabled from an
 *   organization's management account; enabling Identity Center with AWS Organizations from a standalone account sets
 *   up an organization, and "the AWS account that sets up the organization becomes the management account".
 * Direct SAML federation to IAM roles (an IAM SAML provider and roles trusting it) works in any account. Pure.
 */
import type { AuditSnapshot } from './model.js';
import type { MigrationPlan, PlanProblem } from './plan-types.js';

const GUIDE = 'https://docs.aws.amazon.com/singlesignon/latest/userguide';

/** Where each fact above is written. */
export const STANDALONE_DOCS = {
  instances: `${GUIDE}/identity-center-instances.html`,
  accountInstances: `${GUIDE}/account-instances-identity-center.html`,
  organizations: `${GUIDE}/prereq-orgs.html`,
} as const;

/** The decision the plan and doctor state for a standalone account (the plan's direct SAML section carries it out). */
export const STANDALONE_DECISION = 'outside Identity Center: direct SAML federation';

/** How one way of bringing Entra sign-in to the account stands. */
export type StandaloneOption = {
  target: 'account-instance' | 'organization-instance' | 'direct-saml';
  possible: boolean;
  title: string;
  why: string;
  steps: string[];
};

/**
 * The three ways, each with whether it gives people console and CLI access to this account and why.
 * `instanceArn`: the account instance ListInstances shows, if any; `federation`: the SAML providers of a direct
 * federation the audit found in the account (empty: none yet).
 */
export function standaloneOptions(
  accountId: string,
  instanceArn: string | null,
  federation: string[],
): StandaloneOption[] {
  return [
    {
      target: 'account-instance',
      possible: false,
      title: 'account instance of Identity Center: applications only, no access to AWS accounts',
      why:
        `an account instance serves AWS managed and OAuth 2.0 (OIDC) customer managed applications in this account and region; it has no permission sets, account assignments or AWS access portal sign-in to AWS accounts (${STANDALONE_DOCS.instances})` +
        (instanceArn ? `; this account has one (${instanceArn}): keep it for applications` : ''),
      steps: [],
    },
    {
      target: 'organization-instance',
      possible: false,
      title: 'organization instance of Identity Center: needs an organization',
      why: `permission sets and account assignments come with an organization instance, enabled from an organization's management account; ${accountId} is in no organization (${STANDALONE_DOCS.organizations})`,
      steps: [
        `AWS Organizations console > Create an organization (all features): ${accountId} becomes its management account`,
        'IAM Identity Center console > Enable (an organization instance, in your home region)',
        'run iam2sso audit and iam2sso plan again: the plan then targets Identity Center',
      ],
    },
    {
      target: 'direct-saml',
      possible: true,
      title: `direct SAML federation to IAM: possible (the plan's decision: ${STANDALONE_DECISION})`,
      why: federation.length
        ? `in place: SAML provider ${federation.join(', ')} in ${accountId}; it works in any account, in an organization or not`
        : `an IAM SAML provider made from Entra's federation metadata and roles trusting it work in any account, in an organization or not; ${accountId} has none yet`,
      steps: [
        `iam2sso plan --outside-identity-center ${accountId} (the plan's outsideIdentityCenter: entry: Entra's AWS Single-Account Access app, the SAML provider, a role per planned access for the same Entra groups)`,
        'review the plan file, then iam2sso apply',
        'or by hand: Entra admin center > Enterprise applications > New application > AWS Single-Account Access; Single sign-on > SAML > download the Federation Metadata XML; IAM > Identity providers > Add provider (SAML, that metadata); IAM roles with a SAML 2.0 trust on that provider; app roles for them in the Entra app, assigned to Entra groups',
      ],
    },
  ];
}

/** The plan problem that states the decision for a standalone account. */
export function standaloneDecision(accountId: string): PlanProblem {
  return {
    id: 'iic.standalone',
    accountId,
    message:
      `${accountId} is in no organization: ${STANDALONE_DECISION}. An account instance of Identity Center gives access to applications only, ` +
      `not to AWS accounts (no permission sets or account assignments), and an organization instance needs an organization ` +
      `(${STANDALONE_DOCS.instances}); so this plan makes no Identity Center permission set or assignment. Run ` +
      `\`iam2sso plan --outside-identity-center ${accountId}\` for the SAML provider, roles and Entra app; \`iam2sso doctor\` explains the choices`,
  };
}

/**
 * The plan for a standalone audit: the decision as a problem, and no Identity Center permission set, assignment or
 * migration of direct SAML roles into it (none could be made). Users keep their groups: the Entra groups carry the
 * access through the SAML roles instead. Any other audit: the plan unchanged.
 */
export function withStandaloneAccount(plan: MigrationPlan, snapshot: AuditSnapshot): MigrationPlan {
  if (!snapshot.standalone) return plan;
  const ids = new Set(snapshot.accounts.map((a) => a.accountId));
  const decisions = [...ids].sort().map(standaloneDecision);
  return {
    ...plan,
    permissionSets: [],
    groups: plan.groups.map((g) => ({ ...g, assignments: g.assignments.filter((a) => !ids.has(a.accountId)) })),
    users: plan.users.map((u) =>
      ids.has(u.accountId) && u.permissionSets.length
        ? {
            ...u,
            permissionSets: [],
            notes: [...u.notes, `no Identity Center permission set in a standalone account: ${STANDALONE_DECISION}`],
          }
        : u,
    ),
    ...(plan.directSaml ? { directSaml: plan.directSaml.filter((r) => !ids.has(r.accountId)) } : {}),
    problems: [...decisions, ...plan.problems],
  };
}
