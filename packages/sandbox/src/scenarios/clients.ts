/**
 * The programs that use keys and consoles in a generated estate: their real user agent strings, the
 * management-event API calls they make (what LookupEvents shows), and where their calls come from.
 */
import type { Rng } from '../rng.js';
import type { ClientName } from './spec.js';

/** One API call a client makes: signing service (also the event source prefix), event name, parameters. */
export type ApiAction = { service: string; action: string; params: Record<string, unknown> | null };

type Profile = { agents: readonly string[]; actions: readonly ApiAction[] };

const call = (service: string, action: string, params: Record<string, unknown> | null = null): ApiAction => ({
  service,
  action,
  params,
});

const HUMAN_CLI_ACTIONS = [
  call('s3', 'ListBuckets', { Host: 's3.amazonaws.com' }),
  call('ec2', 'DescribeInstances', { instancesSet: {}, filterSet: {} }),
  call('sts', 'GetCallerIdentity'),
  call('logs', 'DescribeLogGroups'),
  call('cloudformation', 'DescribeStacks'),
  call('lambda', 'ListFunctions20150331'),
  call('iam', 'ListUsers'),
  call('ecs', 'ListClusters'),
  call('ssm', 'GetParameter', { name: '/app/config/feature-flags', withDecryption: false }),
  call('eks', 'DescribeCluster', { name: 'main' }),
];

const PROFILES: Record<ClientName, Profile> = {
  'aws-cli': {
    agents: [
      'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/s3.ls',
      'aws-cli/2.13.25 Python/3.11.5 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22 prompt/off command/ec2.describe-instances',
      'aws-cli/2.17.0 Python/3.11.8 Windows/10 exe/AMD64 prompt/off command/sts.get-caller-identity',
      'aws-cli/2.16.4 Python/3.11.8 Darwin/23.5.0 exe/arm64 prompt/off command/logs.describe-log-groups',
    ],
    actions: HUMAN_CLI_ACTIONS,
  },
  terraform: {
    agents: [
      'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 os/macos lang/go#1.21.8 md/GOOS#darwin md/GOARCH#arm64 api/ec2#1.150.0',
      'APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.31.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.49.6 (go1.21.5; darwin; amd64)',
    ],
    actions: [
      call('ec2', 'DescribeVpcs'),
      call('ec2', 'DescribeSecurityGroups'),
      call('iam', 'GetRole', { roleName: 'app-task-role' }),
      call('sts', 'GetCallerIdentity'),
      call('rds', 'DescribeDBInstances'),
      call('ec2', 'RunInstances', { instanceType: 't3.medium', minCount: 1, maxCount: 1 }),
      call('lambda', 'UpdateFunctionCode20150331v2', { functionName: 'orders-api' }),
    ],
  },
  'boto3-laptop': {
    agents: [
      'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
      'Boto3/1.28.57 md/Botocore#1.31.57 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.31.57',
    ],
    actions: [
      call('s3', 'ListBuckets', { Host: 's3.amazonaws.com' }),
      call('athena', 'StartQueryExecution', { workGroup: 'primary' }),
      call('glue', 'GetTables', { databaseName: 'analytics' }),
      call('ec2', 'DescribeInstances', { instancesSet: {}, filterSet: {} }),
      call('sts', 'GetCallerIdentity'),
    ],
  },
  'sdk-java': {
    agents: [
      'aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
      'aws-sdk-java/1.12.681 Linux/5.15.0-1055-aws OpenJDK_64-Bit_Server_VM/11.0.22+7 java/11.0.22 vendor/Eclipse_Adoptium cfg/retry-mode/legacy',
    ],
    actions: [
      call('kms', 'Decrypt', { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
      call('secretsmanager', 'GetSecretValue', { secretId: 'app/database' }),
      call('ssm', 'GetParameters', { names: ['/app/db/host', '/app/db/port'] }),
      call('dynamodb', 'DescribeTable', { tableName: 'orders' }),
    ],
  },
  boto3: {
    agents: [
      'Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.51',
      'Boto3/1.26.90 Python/3.9.16 Linux/4.14.336-257.562.amzn2.x86_64 Botocore/1.29.90',
    ],
    actions: [
      call('s3', 'ListBuckets', { Host: 's3.amazonaws.com' }),
      call('s3', 'GetBucketLocation', { bucketName: 'acme-data-lake' }),
      call('kms', 'GenerateDataKey', { keySpec: 'AES_256' }),
      call('ssm', 'GetParameter', { name: '/etl/source-db', withDecryption: true }),
    ],
  },
  'sdk-go': {
    agents: [
      'aws-sdk-go/1.50.30 (go1.21.7; linux; amd64)',
      'aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.151.0',
    ],
    actions: [
      call('ec2', 'DescribeInstances', { instancesSet: {}, filterSet: {} }),
      call('tag', 'GetResources', { resourcesPerPage: 100 }),
      call('elasticloadbalancing', 'DescribeLoadBalancers'),
      call('route53', 'ChangeResourceRecordSets', { hostedZoneId: 'Z0123456789ABCDEFGHIJ' }),
    ],
  },
  'sdk-js': {
    agents: [
      'aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 lang/js md/nodejs#20.12.0 api/secrets-manager#3.540.0',
      'aws-sdk-nodejs/2.1583.0 linux/v18.19.1 exec-env/AWS_ECS_FARGATE promise',
    ],
    actions: [
      call('secretsmanager', 'GetSecretValue', { secretId: 'app/api-keys' }),
      call('kms', 'Decrypt', { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
      call('lambda', 'ListFunctions20150331'),
    ],
  },
  'github-actions': {
    agents: [
      'configure-aws-credentials-for-github-actions',
      'aws-cli/2.15.17 Python/3.11.6 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22 prompt/off command/ecr.get-login-password',
      'aws-cli/2.15.17 Python/3.11.6 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22 prompt/off command/ecs.update-service',
    ],
    actions: [
      call('sts', 'GetCallerIdentity'),
      call('ecr', 'GetAuthorizationToken'),
      call('ecr', 'PutImage', { repositoryName: 'orders-api', imageTag: 'main' }),
      call('ecs', 'RegisterTaskDefinition', { family: 'orders-api' }),
      call('ecs', 'UpdateService', { cluster: 'main', service: 'orders-api' }),
    ],
  },
  jenkins: {
    agents: [
      'aws-cli/1.29.62 Python/3.8.10 Linux/5.15.0-1051-aws botocore/1.31.62',
      'aws-sdk-java/1.12.470 Linux/5.15.0-1051-aws OpenJDK_64-Bit_Server_VM/11.0.21+9 java/11.0.21 jenkins/2.426.1',
    ],
    actions: [
      call('ecr', 'GetAuthorizationToken'),
      call('cloudformation', 'DescribeStacks'),
      call('cloudformation', 'UpdateStack', { stackName: 'app-infra' }),
      call('s3', 'ListBuckets', { Host: 's3.amazonaws.com' }),
    ],
  },
};

/** Known client names, for the YAML loader's messages. */
export const CLIENT_NAMES = Object.keys(PROFILES) as ClientName[];

/** The user agents and calls of a named client, or of a literal user agent string. */
export function clientProfile(client: ClientName | string): Profile {
  const named = PROFILES[client as ClientName];
  if (named) return named;
  return { agents: [client], actions: client.startsWith('aws-cli/') ? HUMAN_CLI_ACTIONS : PROFILES.boto3.actions };
}

/** Services whose events CloudTrail records in us-east-1 whatever region the caller uses. */
export const GLOBAL_SERVICES = new Set(['iam', 'sts', 'route53']);

/** Browsers of people signing in to the console. */
export const BROWSER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.97',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
];

/** Public addresses a person works from (office, home, VPN egress). */
export function humanIps(rng: Rng): string[] {
  return [`203.0.113.${rng.int(10, 60)}`, `198.51.100.${rng.int(2, 250)}`];
}

/** Where a service's calls come from: an EC2 instance, a GitHub-hosted runner, an on-premises Jenkins. */
export function serviceIps(rng: Rng, client: ClientName | string): string[] {
  if (client === 'github-actions') return [`20.${rng.int(36, 120)}.${rng.int(0, 255)}.${rng.int(1, 254)}`];
  if (client === 'jenkins') return [`192.0.2.${rng.int(10, 200)}`];
  const first = rng.pick([3, 18, 34, 52, 54]);
  return [`${first}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`];
}
