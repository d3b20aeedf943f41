/**
 * The rollout messages, pure over the plan: one per person (their start URL, the accounts and permission sets the
 * plan gives them, how to sign in, how to set up the AWS CLI with `aws configure sso` and the profiles to expect,
 * what happens to their IAM users and when) and one per service account (for its owner: the replacement the plan
 * chose and the steps to switch). Rendering to Markdown, HTML or e-mail is in render.ts.
 */
import type { MigrationPlan, PlannedServiceAccount, ServiceRecommendation } from '../core/plan-types.js';
import { awsConfigText, type ProfileTarget, profileName } from './aws-config-text.js';

export type RolloutSettings = {
  startUrl: string;
  region: string;
  /** The day IAM users lose their console passwords and keys (ISO date). */
  cutoverDate: string;
  /** Sender of the e-mails. */
  from: string;
  /** Account id to name, when known. */
  accountNames: Map<string, string>;
};

/** A message: who it is for, its subject and its sections (headed paragraphs, lists and code blocks). */
export type Message = { id: string; to: string; subject: string; sections: Section[] };
export type Section = { heading: string; paragraphs?: string[]; items?: string[]; code?: string };

const SESSION = 'my-sso';

function accountLabel(s: RolloutSettings, accountId: string): string {
  const name = s.accountNames.get(accountId);
  return name ? `${name} (${accountId})` : accountId;
}

/** The message for one person. */
export function personMessage(plan: MigrationPlan, upn: string, s: RolloutSettings): Message {
  const pairs = new Map<string, ProfileTarget>();
  for (const g of plan.groups)
    if (g.members.some((m) => m.toLowerCase() === upn.toLowerCase()))
      for (const a of g.assignments)
        pairs.set(`${a.accountId}|${a.permissionSet}`, {
          accountId: a.accountId,
          accountName: s.accountNames.get(a.accountId),
          permissionSet: a.permissionSet,
        });
  const targets = [...pairs.values()].sort(
    (a, b) => a.accountId.localeCompare(b.accountId) || a.permissionSet.localeCompare(b.permissionSet),
  );
  const iamUsers = plan.users.filter((u) => u.upn?.toLowerCase() === upn.toLowerCase());
  return {
    id: upn,
    to: upn,
    subject: 'Your AWS access moves to single sign-on (IAM Identity Center)',
    sections: [
      {
        heading: 'What changes',
        paragraphs: [
          `From now on you sign in to AWS with your company account (${upn}) instead of IAM users and long-lived access keys.`,
        ],
      },
      {
        heading: 'Where to sign in',
        paragraphs: [
          `Open the AWS access portal: ${s.startUrl}`,
          'Sign in with your company account and its MFA. The portal lists your accounts; pick a permission set to open the console or copy short-term credentials.',
        ],
      },
      {
        heading: 'Your accounts and permission sets',
        items: targets.length
          ? targets.map((t) => `${accountLabel(s, t.accountId)}: ${t.permissionSet}`)
          : ['none yet: ask the platform team before the cutover'],
      },
      {
        heading: 'The AWS CLI',
        paragraphs: [
          `Run \`aws configure sso\` once with session name \`${SESSION}\`, start URL ${s.startUrl} and region ${s.region} (scope sso:account:access), choose each account and role, then \`aws sso login --sso-session ${SESSION}\` each morning. You should end up with this in ~/.aws/config:`,
        ],
        code: awsConfigText({ name: SESSION, startUrl: s.startUrl, region: s.region }, targets),
      },
      {
        heading: 'Profiles to expect',
        items: targets.map((t) => `aws sts get-caller-identity --profile ${profileName(t)}`),
      },
      {
        heading: 'What happens to your IAM user',
        items: iamUsers.length
          ? iamUsers.map(
              (u) =>
                `${u.userName} in ${accountLabel(s, u.accountId)}: ${u.action === 'keep' ? 'kept for now (see notes from the platform team)' : `its console password and access keys are deactivated on ${s.cutoverDate}, and the user is deleted once no use is seen`}`,
            )
          : ['you have no IAM user'],
      },
    ],
  };
}

const STEPS: Record<ServiceRecommendation, string[]> = {
  'iam-role-on-compute': [
    'Create the IAM role with the trust and permission policies below.',
    'Attach it to the instance profile, task role or function that runs the workload.',
    "Remove the access keys from the workload's configuration; the SDK picks the role up on its own.",
  ],
  'github-actions-oidc': [
    "Add GitHub's OIDC provider (token.actions.githubusercontent.com) to the account if it is not there.",
    'Create the role with the trust policy below (restricted to your repository).',
    'In the workflow: permissions id-token: write, and aws-actions/configure-aws-credentials with role-to-assume.',
    'Delete the repository secrets that held the access keys.',
  ],
  'iam-roles-anywhere': [
    'The trust anchor for your private CA, the profile and the role below are made with `iam2sso replace` (from the CA bundle you send the platform team).',
    'Install aws_signing_helper on the host and point credential_process at it.',
    'Remove the long-lived keys from the host.',
  ],
  'keep-with-rotation': [
    'Keep the IAM user, with the least-privilege policy below.',
    'Rotate its access key at least every 90 days (iam2sso flags older keys).',
    'Record an owner tag on the user.',
  ],
};

/** The message for the owner of one service account. */
export function serviceAccountMessage(sa: PlannedServiceAccount, s: RolloutSettings): Message {
  const sections: Section[] = [
    {
      heading: 'What changes',
      paragraphs: [
        `The IAM user ${sa.userName} in ${accountLabel(s, sa.accountId)} uses long-lived access keys. The migration plan replaces it with: ${sa.recommendation}.`,
        `Why: ${sa.reason}`,
      ],
    },
    { heading: 'Steps', items: STEPS[sa.recommendation] },
  ];
  if (sa.trustPolicy)
    sections.push({ heading: 'Trust policy', code: JSON.stringify(JSON.parse(sa.trustPolicy), null, 2) });
  if (sa.policy) sections.push({ heading: 'Permissions policy', code: JSON.stringify(JSON.parse(sa.policy), null, 2) });
  sections.push({
    heading: 'When',
    paragraphs: [
      `Switch before ${s.cutoverDate}: the user's keys are deactivated then${sa.recommendation === 'keep-with-rotation' ? ' unless it is kept with rotation' : ''}.`,
    ],
  });
  return {
    id: `service-${sa.accountId}-${sa.userName}`,
    to: `owner of ${sa.accountId}/${sa.userName}`,
    subject: `Replace the IAM user ${sa.userName} (${sa.accountId}) before ${s.cutoverDate}`,
    sections,
  };
}

/** Every message of the plan: people (with a UPN, in a planned group) first, then service accounts. */
export function rolloutMessages(plan: MigrationPlan, s: RolloutSettings): Message[] {
  const people = new Map<string, string>();
  for (const g of plan.groups)
    for (const m of g.members) if (!people.has(m.toLowerCase())) people.set(m.toLowerCase(), m);
  for (const u of plan.users)
    if (u.upn && u.action !== 'decommission' && !people.has(u.upn.toLowerCase()))
      people.set(u.upn.toLowerCase(), u.upn);
  return [
    ...[...people.values()].sort().map((upn) => personMessage(plan, upn, s)),
    ...plan.serviceAccounts.map((sa) => serviceAccountMessage(sa, s)),
  ];
}
