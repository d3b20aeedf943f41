/**
 * The rules that classification reads, with defaults that fit most estates. `iam2sso.yaml` overrides
 * them (section `classification:` and the top-level `overrides:` list).
 */
import type { Category } from './model.js';

/**
 * A tag that decides a user's category. Without `category`, the tag's value must itself be a category name
 * (e.g. `iam2sso:category = service`); without `value`, any value of the key matches.
 */
export type TagRule = { key: string; value?: string; category?: Category };

/** A person's decision about one user; it wins over every rule. */
export type Override = { account: string; user: string; category: Category; reason?: string };

/**
 * User agent patterns (regular expression sources, case-insensitive) that tell a person from automation:
 * the tool (CLI, SDK, console) and the host it runs on (a desktop OS is a person's laptop; a server OS or a
 * CI runner is automation, even when it runs the AWS CLI).
 */
export type UserAgentRules = { cli: string[]; sdk: string[]; console: string[]; desktop: string[]; server: string[] };

export type ClassificationRules = {
  /** Days without any use after which a user is stale (and findings call a key or password unused). */
  staleAfterDays: number;
  /** Name patterns of automation users (regular expression sources, case-insensitive). */
  servicePatterns: string[];
  /** Name patterns of emergency (break-glass) users. */
  breakGlassPatterns: string[];
  /** Group name patterns whose members are people, and ones whose members are automation. */
  humanGroupPatterns: string[];
  serviceGroupPatterns: string[];
  tagRules: TagRule[];
  userAgents: UserAgentRules;
  overrides: Override[];
};

/** The rules used when iam2sso.yaml says nothing. */
export function defaultClassificationRules(): ClassificationRules {
  return {
    staleAfterDays: 90,
    servicePatterns: [
      '^(svc|service|sa|bot|app|ci|cd|cicd|deploy|deployer|build|jenkins|github|gitlab|terraform|tf|automation|pipeline|backup|monitoring|datadog|newrelic|splunk|sentry|etl|batch|cron)[-_.]',
      '[-_.](svc|service|bot|ci|cd|deploy|deployer|pipeline|automation|app|sa|integration|sync|backup|uploader|worker|exporter|agent|runner|etl|job)$',
      '^(jenkins|terraform|github-actions|gitlab-runner|circleci|datadog|newrelic|splunk|sentry|ansible|packer|backup|monitoring)$',
    ],
    breakGlassPatterns: ['break[-_.]?glass', '^emergency', '^bg[-_.]admin', 'firecall'],
    humanGroupPatterns: [
      'admin',
      'developer',
      'engineer',
      'dev(s)?$',
      'ops$',
      'support',
      'analyst',
      'finance',
      'billing',
      'readonly',
      'auditor',
      'security',
      'people',
      'staff',
      'team',
    ],
    serviceGroupPatterns: ['service', 'automation', 'pipeline', '(^|[-_.])ci([-_.]|$)', 'deploy', 'bots?$', 'machine'],
    tagRules: [
      { key: 'iam2sso:category' },
      { key: 'type', value: 'service', category: 'service' },
      { key: 'type', value: 'automation', category: 'service' },
      { key: 'purpose', value: 'ci', category: 'service' },
      { key: 'purpose', value: 'break-glass', category: 'break-glass' },
    ],
    userAgents: {
      cli: ['^aws-cli/', 'aws-shell', 'awscli', 'aws-vault', 'granted'],
      sdk: [
        '^boto3/',
        '^botocore/',
        'aws-sdk-',
        '^aws-sdk',
        'terraform',
        'hashicorp',
        'aws-cdk',
        'jsii-runtime',
        'pulumi',
        'apn/1\\.0',
      ],
      console: ['console\\.amazonaws\\.com', 'signin\\.amazonaws\\.com', '^mozilla/'],
      desktop: ['darwin', 'os/macos', 'mac os x', 'windows', 'os/win'],
      server: [
        'amzn',
        '-aws\\b',
        '-azure',
        '-gcp',
        'exec-env/',
        'jenkins',
        'github',
        'gitlab',
        'circleci',
        'codebuild',
        'configure-aws-credentials',
        'kubernetes',
      ],
    },
    overrides: [],
  };
}
