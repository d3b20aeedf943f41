/**
 * The AWS managed policies scenarios attach (real ARNs, `/job-function/` paths included) and the customer
 * managed and inline policy documents a typical legacy estate carries.
 */
import type { PolicyDocument, PolicySpec } from './spec.js';

/** Real ARNs of the AWS managed policies scenarios use, by policy name. */
export const AWS_MANAGED_ARNS: Readonly<Record<string, string>> = Object.fromEntries(
  [
    'AdministratorAccess',
    'PowerUserAccess',
    'ReadOnlyAccess',
    'job-function/ViewOnlyAccess',
    'job-function/Billing',
    'job-function/SystemAdministrator',
    'job-function/DatabaseAdministrator',
    'job-function/DataScientist',
    'job-function/NetworkAdministrator',
    'job-function/SupportUser',
    'SecurityAudit',
    'IAMReadOnlyAccess',
    'IAMUserChangePassword',
    'AmazonS3FullAccess',
    'AmazonS3ReadOnlyAccess',
    'AmazonEC2FullAccess',
    'AmazonEC2ReadOnlyAccess',
    'AmazonEC2ContainerRegistryPowerUser',
    'AmazonECS_FullAccess',
    'AmazonDynamoDBFullAccess',
    'AmazonRDSFullAccess',
    'AmazonAthenaFullAccess',
    'AWSGlueConsoleFullAccess',
    'AWSLambda_FullAccess',
    'AWSCloudFormationFullAccess',
    'AWSCodeCommitPowerUser',
    'AWSCodeDeployFullAccess',
    'CloudWatchReadOnlyAccess',
    'CloudWatchLogsFullAccess',
    'AmazonSQSFullAccess',
    'AmazonSNSFullAccess',
    'AmazonSSMReadOnlyAccess',
    'AWSBillingReadOnlyAccess',
    'AWSCloudTrail_ReadOnlyAccess',
    'AmazonGuardDutyReadOnlyAccess',
    'AWSSecurityHubReadOnlyAccess',
    'AWSSupportAccess',
  ].map((path) => [path.split('/').pop()!, `arn:aws:iam::aws:policy/${path}`]),
);

/** The ARN of AdministratorAccess, the policy behind the `admin-attached-directly` finding. */
export const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const doc = (...Statement: unknown[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

/** The seed guide's example custom policy: S3 on my-app-bucket and EC2 start/stop. */
export const DEV_S3_EC2_DOC = doc(
  {
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
    Resource: ['arn:aws:s3:::my-app-bucket', 'arn:aws:s3:::my-app-bucket/*'],
  },
  { Effect: 'Allow', Action: ['ec2:Describe*', 'ec2:StartInstances', 'ec2:StopInstances'], Resource: '*' },
);

/** A legacy "full access" inline policy: the `*:*` form of admin-attached-directly. */
export const FULL_ACCESS_INLINE_DOC = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

/** Customer managed policies every generated account has (some attached, some left over). */
export function standardPolicies(accountName: string): PolicySpec[] {
  const bucket = `acme-${accountName}-artifacts`;
  const devV1 = doc({
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::my-app-bucket', 'arn:aws:s3:::my-app-bucket/*'],
  });
  const ciV1 = doc({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `arn:aws:s3:::${bucket}/*` });
  const ciV2 = doc(
    { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `arn:aws:s3:::${bucket}/*` },
    {
      Effect: 'Allow',
      Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:PutImage', 'ecr:UploadLayerPart'],
      Resource: '*',
    },
  );
  const ciV3 = doc(...ciV2.Statement, {
    Effect: 'Allow',
    Action: ['ecs:UpdateService', 'ecs:DescribeServices', 'ecs:RegisterTaskDefinition', 'iam:PassRole'],
    Resource: '*',
  });
  const secretsV1 = doc({
    Effect: 'Allow',
    Action: ['secretsmanager:GetSecretValue'],
    Resource: `arn:aws:secretsmanager:us-east-1:*:secret:${accountName}/*`,
  });
  const secretsV2 = doc({
    Effect: 'Allow',
    Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'kms:Decrypt'],
    Resource: '*',
  });
  return [
    policy('DevS3AndEC2Access', 'S3 on my-app-bucket and EC2 start/stop for developers', [devV1, DEV_S3_EC2_DOC]),
    policy('CiDeployPolicy', 'Lets CI push images and roll out ECS services', [ciV1, ciV2, ciV3]),
    policy('DeveloperBoundary', 'Permissions boundary: everything except IAM and Organizations changes', [
      doc(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: ['iam:Create*', 'iam:Delete*', 'iam:Put*', 'iam:Attach*', 'organizations:*'],
          Resource: '*',
        },
      ),
    ]),
    policy('S3BackupWriter', 'Write-only access to the backup bucket', [
      doc({
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:ListBucket', 's3:AbortMultipartUpload'],
        Resource: [`arn:aws:s3:::acme-${accountName}-backups`, `arn:aws:s3:::acme-${accountName}-backups/*`],
      }),
    ]),
    // Rolled back: the default is v1 although v2 exists, as happens after a bad change.
    { ...policy('ReadAppSecrets', 'Read application secrets', [secretsV1, secretsV2]), defaultVersion: 1 },
  ];
}

function policy(name: string, description: string, versions: PolicyDocument[]): PolicySpec {
  return { name, path: '/', description, versions, defaultVersion: versions.length };
}

/** Group inline policies seen in the wild. */
export const GROUP_INLINE_DOCS: Record<string, PolicyDocument> = {
  DenyProductionDeletes: doc({
    Effect: 'Deny',
    Action: ['ec2:TerminateInstances', 'rds:DeleteDBInstance', 's3:DeleteBucket'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceTag/environment': 'production' } },
  }),
  AllowPassRoleToLambda: doc({
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: 'arn:aws:iam::*:role/lambda-*',
    Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
  }),
  AthenaResultsBucket: doc({
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::acme-athena-results', 'arn:aws:s3:::acme-athena-results/*'],
  }),
  ManageOwnCredentials: doc({
    Effect: 'Allow',
    Action: ['iam:ChangePassword', 'iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
    Resource: 'arn:aws:iam::*:user/${aws:username}',
  }),
};

/** Inline policies service users carry, by purpose. */
export function serviceInlineDoc(purpose: string, accountName: string): PolicyDocument {
  switch (purpose) {
    case 'backup':
      return doc({
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:ListBucket'],
        Resource: `arn:aws:s3:::acme-${accountName}-backups*`,
      });
    case 'monitoring':
      return doc({
        Effect: 'Allow',
        Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'tag:GetResources', 'ec2:Describe*'],
        Resource: '*',
      });
    case 'app':
      return doc(
        {
          Effect: 'Allow',
          Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
          Resource: `arn:aws:sqs:us-east-1:*:${accountName}-*`,
        },
        { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: '*' },
      );
    default:
      return doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::acme-*/*' });
  }
}
