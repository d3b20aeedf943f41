/**
 * What replaces a service account's long-lived keys, as changes and as the instructions its owner follows: the
 * plan's recommendation (src/core/service-accounts.ts) turned into an IAM role with the plan's trust policy
 * (GitHub Actions OIDC narrowed to a repository and branch, a compute service, or IAM Roles Anywhere) and the
 * user's policy as its inline policy, narrowed to the services CloudTrail saw its keys use when `track` has data,
 * and for EC2 the instance profile (of the role's name) that hands the role to an instance; for IAM Roles Anywhere
 * a role that trusts the trust anchor (its anchor and profile: replace-rolesanywhere.ts). Key rotation is printed,
 * not made. Pure.
 */

import type { PlannedServiceAccount } from './plan-types.js';
import type { OwnedIamChange } from './reconcile/changes-breakglass.js';
import type { RolesAnywhereChange } from './reconcile/changes-rolesanywhere.js';
import { rolesAnywhereTrustPolicy } from './replace-rolesanywhere.js';
import { computeService } from './replace-steps.js';

/** GitHub Actions' OIDC issuer and the audience aws-actions/configure-aws-credentials asks for. */
export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
export const GITHUB_AUDIENCE = 'sts.amazonaws.com';
/**
 * The thumbprint IAM asks for on CreateOpenIDConnectProvider. AWS no longer uses it for GitHub (it trusts the
 * issuer's CA), but the API still requires one; this is GitHub's published intermediate's (GitHub changelog
 * 2023-06-27 "GitHub Actions: Update on OIDC integration with AWS").
 */
export const GITHUB_THUMBPRINT = '6938fd4d98bab03faadb97b34396831e3780aea1';
/** IAM's limit on a role's inline policies, whitespace excluded (IAM quotas: "Role policy size 10,240"). */
export const ROLE_INLINE_POLICY_LIMIT = 10_240;
/** The inline policy's name on the replacement role. */
export const REPLACEMENT_POLICY_NAME = 'iam2sso-least-privilege';

/** The replacement role's name for a user (IAM: 1-64 of `[\w+=,.@-]`). */
export function replacementRoleName(userName: string): string {
  return `iam2sso-${userName}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

type Statement = { Effect?: string; Action?: string | string[]; [k: string]: unknown };

/**
 * The policy narrowed to `services` (IAM service prefixes, e.g. `s3`): Allow statements keep only their actions in
 * those services (`*` becomes `svc:*` for each); Deny statements stay. Unchanged when no service is known.
 */
export function narrowToServices(policy: string, services: string[]): string {
  if (services.length === 0) return policy;
  const used = new Set(services.map((s) => s.toLowerCase()));
  const doc = JSON.parse(policy) as { Version?: string; Statement: Statement | Statement[] };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const kept = statements.flatMap((s) => {
    if (s.Effect !== 'Allow' || s.Action === undefined) return [s];
    const actions = (Array.isArray(s.Action) ? s.Action : [s.Action]).flatMap((a) =>
      a === '*' ? [...used].map((svc) => `${svc}:*`) : used.has(a.split(':')[0].toLowerCase()) ? [a] : [],
    );
    return actions.length ? [{ ...s, Action: actions.length === 1 ? actions[0] : actions }] : [];
  });
  return JSON.stringify({ Version: doc.Version ?? '2012-10-17', Statement: kept });
}

/** The sub claim a role trusts: one branch of one repository (`repo:OWNER/REPO:ref:refs/heads/BRANCH`). */
export function githubSubject(repository: string, branch: string): string {
  return `repo:${repository}:ref:refs/heads/${branch}`;
}

/** The trust policy of a GitHub Actions role for a repository and branch. */
export function githubTrustPolicy(providerArn: string, repository: string, branch: string): string {
  const host = GITHUB_OIDC_URL.replace('https://', '');
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${host}:aud`]: GITHUB_AUDIENCE, [`${host}:sub`]: githubSubject(repository, branch) },
        },
      },
    ],
  });
}

/** The repository the plan's trust policy names (null when it still says OWNER/REPOSITORY). */
export function plannedRepository(trustPolicy: string | null): string | null {
  const m = /repo:([\w.-]+\/[\w.-]+):/.exec(trustPolicy ?? '');
  return m && m[1] !== 'OWNER/REPOSITORY' ? m[1] : null;
}

/** What `replace` is asked to do beyond the plan. */
export type ReplaceRequest = {
  account: PlannedServiceAccount;
  partition: string;
  region: string;
  repository: string | null;
  branch: string;
  /** IAM services the user's keys were seen calling (from `track`), empty when unknown. */
  usedServices: string[];
  /** The GitHub OIDC provider already exists in the account. */
  providerExists: boolean;
  /** The replacement role already exists (and is the tool's; a foreign one is refused before). */
  roleExists: boolean;
  /** Its inline policy of REPLACEMENT_POLICY_NAME, when it exists (null: none). */
  rolePolicy?: string | null;
  /** Roles Anywhere only: the ARN of the trust anchor the role trusts (made before the role). */
  trustAnchorArn?: string | null;
  /** EC2 only: the instance profile of the role's name with the roles in it (null: none; the tool's, else refused). */
  instanceProfile?: { roles: string[] } | null;
};

/** The replacement: its changes, the role's ARN, the policy it gets, and problems that stop it. */
export type Replacement = {
  changes: (OwnedIamChange | RolesAnywhereChange)[];
  roleArn: string | null;
  policy: string | null;
  problems: string[];
  notes: string[];
};

function samePolicy(a: string, b: string | null): boolean {
  if (b === null) return false;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** The changes that make the replacement the plan chose. */
export function planReplacement(req: ReplaceRequest): Replacement {
  const { account: s, partition } = req;
  const accountId = s.accountId;
  const out: Replacement = { changes: [], roleArn: null, policy: null, problems: [], notes: [] };
  if (s.recommendation === 'keep-with-rotation') {
    out.notes.push('the plan keeps this user with rotated keys: nothing is made (see the steps below)');
    return out;
  }
  const roleName = replacementRoleName(s.userName);
  out.roleArn = `arn:${partition}:iam::${accountId}:role/${roleName}`;
  let trust = s.trustPolicy;
  if (s.recommendation === 'github-actions-oidc') {
    const repository = req.repository ?? plannedRepository(s.trustPolicy);
    if (!repository) {
      out.problems.push('the repository is not known: pass --repo OWNER/REPO (or fill it in the plan trustPolicy)');
      return out;
    }
    const providerArn = `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_URL.replace('https://', '')}`;
    trust = githubTrustPolicy(providerArn, repository, req.branch);
    if (!req.providerExists)
      out.changes.push({
        kind: 'iam.oidc-provider.create',
        accountId,
        url: GITHUB_OIDC_URL,
        clientIds: [GITHUB_AUDIENCE],
        thumbprints: [GITHUB_THUMBPRINT],
      });
  }
  if (s.recommendation === 'iam-roles-anywhere') {
    if (!req.trustAnchorArn) {
      out.problems.push('the trust anchor the role trusts is not known');
      return out;
    }
    trust = rolesAnywhereTrustPolicy(req.trustAnchorArn);
  }
  if (!trust) {
    out.problems.push('the plan gives no trust policy for this replacement');
    return out;
  }
  if (s.policy) {
    out.policy = narrowToServices(s.policy, req.usedServices);
    if (req.usedServices.length)
      out.notes.push(`policy narrowed to what CloudTrail saw the keys use: ${req.usedServices.join(', ')}`);
    if (out.policy.replace(/\s/g, '').length > ROLE_INLINE_POLICY_LIMIT)
      out.problems.push(
        `the policy is longer than a role's inline limit (${ROLE_INLINE_POLICY_LIMIT}): split it in the plan`,
      );
  } else out.notes.push('the user has no policy: the role gets none');
  if (out.problems.length) return out;
  if (!req.roleExists) {
    out.changes.push({
      kind: 'iam.role.create',
      accountId,
      roleName,
      trustPolicy: trust,
      description: `iam2sso: replaces the access keys of IAM user ${s.userName}`,
      tags: { 'managed-by': 'iam2sso', replaces: s.userName },
    });
    if (out.policy)
      out.changes.push({
        kind: 'iam.role.put-policy',
        accountId,
        roleName,
        policyName: REPLACEMENT_POLICY_NAME,
        document: out.policy,
      });
  } else if (out.policy && !samePolicy(out.policy, req.rolePolicy ?? null)) {
    // The role is there but its policy is not (a run stopped half-way, or track narrowed it since).
    out.changes.push({
      kind: 'iam.role.put-policy',
      accountId,
      roleName,
      policyName: REPLACEMENT_POLICY_NAME,
      document: out.policy,
    });
  } else out.notes.push(`role ${roleName} exists already (made by iam2sso) with this policy: nothing to change`);
  out.changes.push(...instanceProfileChanges(req, roleName));
  return out;
}

/**
 * An EC2 workload reaches its role through an instance profile, which holds exactly one role (IAM API Reference,
 * AddRoleToInstanceProfile): the profile of the role's name, made and given the role unless it already has it.
 */
function instanceProfileChanges(req: ReplaceRequest, roleName: string): OwnedIamChange[] {
  const s = req.account;
  if (s.recommendation !== 'iam-role-on-compute' || computeService(s.trustPolicy) !== 'ec2.amazonaws.com') return [];
  const { accountId } = s;
  const out: OwnedIamChange[] = [];
  if (!req.instanceProfile)
    out.push({
      kind: 'iam.instance-profile.create',
      accountId,
      name: roleName,
      tags: { 'managed-by': 'iam2sso', replaces: s.userName },
    });
  if (!req.instanceProfile?.roles.includes(roleName))
    out.push({ kind: 'iam.instance-profile.add-role', accountId, name: roleName, roleName });
  return out;
}
