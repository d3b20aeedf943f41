/**
 * What replaces each service account's long-lived keys, from the evidence at hand (user agents seen in
 * CloudTrail, tags, the user's name): a role on the compute it runs on, GitHub Actions OIDC with a trust policy
 * scoped to the repository, IAM Roles Anywhere for other CI/CD, or keeping the user with rotation and a policy
 * tightened to the services its keys were seen using.
 */
import type { UserRecord } from './model.js';
import type { PolicySource } from './permission-sets-sources.js';
import type { PlannedServiceAccount, ServiceRecommendation } from './plan-types.js';
import { policyJson } from './policy/document.js';
import { mergePolicies } from './policy/merge.js';

type Evidence = { recommendation: ServiceRecommendation; reason: string; compute?: string; repository?: string | null };

const COMPUTE: { pattern: RegExp; label: string; principal: string }[] = [
  { pattern: /lambda/i, label: 'AWS Lambda', principal: 'lambda.amazonaws.com' },
  { pattern: /\becs\b|ecs-|fargate|exec-env\/AWS_ECS/i, label: 'Amazon ECS', principal: 'ecs-tasks.amazonaws.com' },
  { pattern: /\bec2\b|ec2-|exec-env\/AWS_EC2|instance/i, label: 'Amazon EC2', principal: 'ec2.amazonaws.com' },
];
const OTHER_CI = /jenkins|gitlab|circleci|bamboo|teamcity|azure-?devops|buildkite|travis|bitbucket/i;
const GITHUB = /github|\bgha\b|gha-|-gha\b|actions/i;

/** Recommends a replacement for one service account. */
export function recommendServiceAccount(user: UserRecord, sources: PolicySource[]): PlannedServiceAccount {
  const evidence = weighEvidence(user);
  const policy = tightenedPolicy(user, sources);
  return {
    accountId: user.accountId,
    userName: user.userName,
    recommendation: evidence.recommendation,
    reason: evidence.reason,
    trustPolicy: trustPolicyFor(evidence, user.accountId, partitionOf(user.arn)),
    policy,
  };
}

function weighEvidence(user: UserRecord): Evidence {
  const agents = user.activity?.userAgents ?? [];
  const tags = Object.entries(user.tags).map(([k, v]) => `${k}=${v}`);
  const ghAgent = agents.find((a) => /github|configure-aws-credentials/i.test(a));
  const repo = repositoryFrom(user);
  if (ghAgent || repo || GITHUB.test(user.userName) || tags.some((t) => /github/i.test(t))) {
    const why = ghAgent
      ? `CloudTrail user agent "${ghAgent}"`
      : repo
        ? `tag names the GitHub repository ${repo}`
        : tags.some((t) => /github/i.test(t))
          ? 'a tag mentions GitHub'
          : `the name "${user.userName}" suggests GitHub Actions`;
    const fill = repo ? '' : '; repository not known: replace OWNER/REPOSITORY in the trust policy';
    return { recommendation: 'github-actions-oidc', reason: `${why}${fill}`, repository: repo };
  }
  for (const c of COMPUTE) {
    const agent = agents.find((a) => c.pattern.test(a));
    const tag = tags.find((t) => c.pattern.test(t));
    if (agent || tag || c.pattern.test(user.userName)) {
      const why = agent ? `CloudTrail user agent "${agent}"` : tag ? `tag ${tag}` : `the name "${user.userName}"`;
      return { recommendation: 'iam-role-on-compute', reason: `runs on ${c.label} (${why})`, compute: c.principal };
    }
  }
  const ci =
    agents.find((a) => OTHER_CI.test(a)) ??
    tags.find((t) => OTHER_CI.test(t)) ??
    (OTHER_CI.test(user.userName) ? user.userName : undefined);
  if (ci)
    return {
      recommendation: 'iam-roles-anywhere',
      reason: `CI/CD outside AWS and GitHub ("${ci}"): X.509 certificates through IAM Roles Anywhere`,
    };
  const used = usedServices(user);
  return {
    recommendation: 'keep-with-rotation',
    reason: `no evidence of where it runs; keep the user, rotate its keys and limit it to ${used.length ? used.join(', ') : 'what it uses'}`,
  };
}

function repositoryFrom(user: UserRecord): string | null {
  for (const [k, v] of Object.entries(user.tags)) {
    if (!/repo|github/i.test(k)) continue;
    const m = /(?:github\.com[/:])?([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(v.trim());
    if (m) return `${m[1]}/${m[2]}`;
  }
  return null;
}

function usedServices(user: UserRecord): string[] {
  const services = new Set<string>();
  for (const k of user.accessKeys)
    if (k.lastUsedService && k.lastUsedService !== 'N/A') services.add(k.lastUsedService);
  return [...services].sort();
}

/** The partition of an ARN (`aws`, `aws-us-gov`, `aws-cn`), from the user's own ARN as IAM reported it. */
function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

function trustPolicyFor(e: Evidence, accountId: string, partition: string): string | null {
  if (e.recommendation === 'github-actions-oidc') {
    const host = 'token.actions.githubusercontent.com';
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:${partition}:iam::${accountId}:oidc-provider/${host}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${host}:sub`]: `repo:${e.repository ?? 'OWNER/REPOSITORY'}:*` },
          },
        },
      ],
    });
  }
  if (e.recommendation === 'iam-role-on-compute' && e.compute) {
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: e.compute }, Action: 'sts:AssumeRole' }],
    });
  }
  if (e.recommendation === 'iam-roles-anywhere') {
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        },
      ],
    });
  }
  return null;
}

/** The user's merged policy; for kept users, only statements touching the services its keys were seen using. */
function tightenedPolicy(user: UserRecord, sources: PolicySource[]): string | null {
  const docs = sources.filter((s) => s.document).map((s) => ({ source: s.id, document: s.document as string }));
  const merged = mergePolicies(docs).statements;
  if (merged.length === 0) return null;
  const used = usedServices(user).map((s) => s.toLowerCase());
  if (used.length === 0) return policyJson(merged);
  const kept = merged
    .map((s) => {
      if (!s.actions || s.effect === 'Deny') return s;
      const actions = s.actions.filter((a) => a === '*' || used.includes(a.split(':')[0].toLowerCase()));
      const scoped = actions.includes('*') ? used.map((svc) => `${svc}:*`) : actions;
      return scoped.length ? { ...s, actions: scoped } : null;
    })
    .filter((s) => s !== null);
  return kept.length ? policyJson(kept) : policyJson(merged);
}
