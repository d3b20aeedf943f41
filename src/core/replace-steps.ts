/**
 * The exact change the owner of a service account makes in their pipeline once the replacement exists, per kind of
 * replacement, and the steps iam2sso prints but does not make (attaching the instance profile to EC2 instances, key
 * rotation). Sources: aws-actions/configure-aws-credentials README (role-to-assume, the
 * `id-token: write` permission), the IAM Roles Anywhere user guide (create-trust-anchor, create-profile,
 * aws_signing_helper credential-process), ECS task IAM roles (taskRoleArn), Lambda execution roles. Pure.
 */
import type { PlannedServiceAccount } from './plan-types.js';

/** What the steps need. */
export type StepInput = {
  account: PlannedServiceAccount;
  roleArn: string | null;
  region: string;
  repository: string | null;
  branch: string;
  /** Roles Anywhere: the ARNs of the trust anchor and profile (null until made). */
  rolesAnywhere?: { trustAnchorArn: string | null; profileArn: string | null };
};

/** The compute service a role-on-compute replacement trusts (EC2 unless the plan's trust policy names another). */
export function computeService(trust: string | null): string {
  return /"Service":"([\w.-]+)"/.exec(trust ?? '')?.[1] ?? 'ec2.amazonaws.com';
}

/** The lines to print: what to change in the pipeline, then how to retire the key. */
export function pipelineSteps(input: StepInput): string[] {
  const { account: s, roleArn, region } = input;
  const retire = [
    `When the pipeline runs with the role, remove the access keys of ${s.userName} from its secrets and config.`,
    `Then \`iam2sso track\` shows whether the old key is still used; when ${s.userName} stays silent, retire it with \`iam2sso decommission\`.`,
  ];
  switch (s.recommendation) {
    case 'github-actions-oidc':
      return [
        `In .github/workflows/*.yml of ${input.repository ?? 'the repository'} (branch ${input.branch}), give the job an OIDC token and assume the role:`,
        '',
        '    permissions:',
        '      id-token: write',
        '      contents: read',
        '    steps:',
        '      - uses: aws-actions/configure-aws-credentials@v4',
        '        with:',
        `          role-to-assume: ${roleArn}`,
        `          aws-region: ${region}`,
        '',
        'and delete the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY inputs and repository secrets.',
        ...retire,
      ];
    case 'iam-role-on-compute': {
      const service = computeService(s.trustPolicy);
      const name = roleArn?.split('/').pop() ?? 'ROLE';
      const how: Record<string, string[]> = {
        'ec2.amazonaws.com': [
          `EC2 reaches the role through the instance profile ${name} (made with the role by \`replace --apply\`); attach it to each instance:`,
          `    aws ec2 associate-iam-instance-profile --instance-id i-... --iam-instance-profile Name=${name}`,
          '(an instance that has one already: aws ec2 replace-iam-instance-profile-association)',
        ],
        'ecs-tasks.amazonaws.com': [
          `Set "taskRoleArn": "${roleArn}" in the task definition and deploy a new revision.`,
        ],
        'lambda.amazonaws.com': [`aws lambda update-function-configuration --function-name FUNCTION --role ${roleArn}`],
      };
      return [
        ...(how[service] ?? [`Let ${service} use ${roleArn}.`]),
        'Unset AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY on the workload: the SDK then takes the role from the platform.',
        ...retire,
      ];
    }
    case 'iam-roles-anywhere': {
      const made = input.rolesAnywhere;
      const anchor = made?.trustAnchorArn ?? 'TRUST_ANCHOR_ARN';
      const profile = made?.profileArn ?? 'PROFILE_ARN';
      return [
        ...(made?.trustAnchorArn && made.profileArn
          ? []
          : ['(the trust anchor and profile are made by `replace --apply --ca-bundle FILE`; their ARNs go below)']),
        'On the host that runs the job, with a certificate (and its private key) that your CA issued to it, in ~/.aws/config:',
        '    [profile ci]',
        `    credential_process = aws_signing_helper credential-process --certificate cert.pem --private-key key.pem --trust-anchor-arn ${anchor} --profile-arn ${profile} --role-arn ${roleArn}`,
        'and run the job with AWS_PROFILE=ci (aws_signing_helper: the IAM Roles Anywhere credential helper).',
        ...retire,
      ];
    }
    case 'keep-with-rotation':
      return [
        `Keep ${s.userName}, rotate its key and give it only what it uses (not made by iam2sso: the user is not iam2sso's):`,
        `    aws iam create-access-key --user-name ${s.userName}      # deploy the new key, then`,
        `    aws iam update-access-key --user-name ${s.userName} --access-key-id OLD --status Inactive`,
        `    aws iam put-user-policy --user-name ${s.userName} --policy-name least-privilege --policy-document file://policy.json`,
        'with the policy below, then detach its broader policies. Rotate again at least every 90 days.',
      ];
  }
}
