/**
 * The service control policy that closes the door on IAM users: it denies creating users, login profiles and access
 * keys, and attaching or putting policies on users, to everyone but the break-glass users and the principals the
 * operator lists; Identity Center's permission-set roles are excepted too, so people who moved keep their admin
 * path. Built minified and checked against Organizations' quotas before anything is attached. Pure.
 */

/** The name iam2sso gives its SCP (the object it owns). */
export const SCP_NAME = 'iam2sso-deny-iam-users';

/** What the SCP denies (the field guide's step 7.7, plus policies put on or attached to users). */
export const DENIED_ACTIONS = [
  'iam:CreateUser',
  'iam:CreateLoginProfile',
  'iam:CreateAccessKey',
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
] as const;

/**
 * Organizations' quotas for SCPs (Organizations user guide, "Quotas and service limits"): 5,120 characters per
 * document, white space included; 5 SCPs attached directly to one root, OU or account.
 */
export const SCP_QUOTAS = { characters: 5120, perTarget: 5 } as const;

/**
 * `aws:PrincipalArn` patterns of the roles Identity Center makes for permission sets. Their path carries the
 * instance's region except in us-east-1: `role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_...` there and
 * `role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_...` elsewhere ("If you configure SSO in a Region
 * other than us-east-1, add the Region after sso.amazonaws.com":
 * https://aws.amazon.com/blogs/containers/a-quick-path-to-amazon-eks-single-sign-on-using-aws-sso/, and
 * https://dev.classmethod.jp/articles/iam-identity-center-scp-awsreservedsso-role-arn/ for the SCP condition), so
 * both forms are listed. ArnNotLike compares each colon-separated part, so `*` never spans the account field.
 */
export function ssoRolePatterns(partition: string): string[] {
  return [
    `arn:${partition}:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_*`,
    `arn:${partition}:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*`,
  ];
}

/** A user that keeps its rights: its account and name (the plan does not carry the user's path). */
export type ExceptedUser = { accountId: string; userName: string };

/** Patterns matching a user at any path. */
function userPatterns(partition: string, user: ExceptedUser): string[] {
  return [
    `arn:${partition}:iam::${user.accountId}:user/${user.userName}`,
    `arn:${partition}:iam::${user.accountId}:user/*/${user.userName}`,
  ];
}

/** What goes into the document. */
export type ScpInput = { partition: string; breakGlass: ExceptedUser[]; except: string[] };

/** The principals the SCP leaves alone, in a stable order. */
export function exceptedPrincipals(input: ScpInput): string[] {
  const out = [
    ...ssoRolePatterns(input.partition),
    ...input.breakGlass.flatMap((u) => userPatterns(input.partition, u)),
    ...input.except,
  ];
  return [...new Set(out)];
}

/** The SCP document, minified (every character counts against the quota). */
export function buildScpDocument(input: ScpInput): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Iam2ssoDenyIamUsers',
        Effect: 'Deny',
        Action: [...DENIED_ACTIONS],
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': exceptedPrincipals(input) } },
      },
    ],
  });
}

/** Why an SCP cannot be attached as it is (stable ids). */
export type ScpProblem =
  | { id: 'scp.too-large'; characters: number; limit: number }
  | { id: 'scp.target-full'; targetId: string; attached: number; limit: number };

/**
 * The quota problems of attaching `content` to a target that has `attachedToTarget` SCPs directly attached
 * (not counting ours when it is already there).
 */
export function checkScpQuotas(
  content: string,
  target: { id: string; attached: number; oursAttached: boolean },
): ScpProblem[] {
  const problems: ScpProblem[] = [];
  if (content.length > SCP_QUOTAS.characters)
    problems.push({ id: 'scp.too-large', characters: content.length, limit: SCP_QUOTAS.characters });
  if (!target.oursAttached && target.attached >= SCP_QUOTAS.perTarget)
    problems.push({
      id: 'scp.target-full',
      targetId: target.id,
      attached: target.attached,
      limit: SCP_QUOTAS.perTarget,
    });
  return problems;
}

/** One line for people about a problem. */
export function describeScpProblem(p: ScpProblem): string {
  if (p.id === 'scp.too-large')
    return `the SCP has ${p.characters} characters; Organizations accepts at most ${p.limit} (list fewer --except principals)`;
  return `${p.targetId} already has ${p.attached} SCPs attached directly; Organizations allows ${p.limit} per target (detach one, or attach to a parent OU or the root)`;
}
