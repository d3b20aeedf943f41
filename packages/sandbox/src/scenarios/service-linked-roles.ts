/**
 * The service-linked roles a real account in an organization with Identity Center holds: AWS creates them
 * under `/aws-service-role/<service principal>/`, trusted by that service, with an AWS managed policy from
 * `arn:aws:iam::aws:policy/aws-service-role/`. (Names, paths and policies:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html and each service's
 * "Using service-linked roles" page.) Their ids are derived from the account, so adding them does not move
 * the scenario's seeded random source.
 */
import { createHash } from 'node:crypto';
import type { AccountState } from '../world/world.js';

type LinkedRole = { name: string; service: string; policy: string; description: string };

/** The service-linked roles every sandbox account has. */
export const SERVICE_LINKED_ROLES: readonly LinkedRole[] = [
  {
    name: 'AWSServiceRoleForOrganizations',
    service: 'organizations.amazonaws.com',
    policy: 'AWSOrganizationsServiceTrustPolicy',
    description:
      'Service-linked role used by AWS Organizations to enable integration of other AWS services with Organizations.',
  },
  {
    name: 'AWSServiceRoleForSSO',
    service: 'sso.amazonaws.com',
    policy: 'AWSSSOServiceRolePolicy',
    description:
      'Service-linked role used by AWS SSO to manage AWS resources, including IAM roles, policies and SAML IdP on your behalf.',
  },
  {
    name: 'AWSServiceRoleForSupport',
    service: 'support.amazonaws.com',
    policy: 'AWSSupportServiceRolePolicy',
    description: 'Enables resource access for AWS to provide billing, administrative and support services',
  },
  {
    name: 'AWSServiceRoleForTrustedAdvisor',
    service: 'trustedadvisor.amazonaws.com',
    policy: 'AWSTrustedAdvisorServiceRolePolicy',
    description:
      'Access for the AWS Trusted Advisor Service to help reduce cost, increase performance, and improve security of your AWS environment.',
  },
];

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function roleIdFor(accountId: string, name: string): string {
  const digest = createHash('sha256').update(`${accountId}/${name}`).digest();
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += BASE32[digest[i] % 32];
  return id;
}

/** Adds the service-linked roles to an account, created when the account was. */
export function addServiceLinkedRoles(account: AccountState, createDate: Date): void {
  for (const role of SERVICE_LINKED_ROLES) {
    account.iam.roles.set(role.name, {
      roleName: role.name,
      roleId: roleIdFor(account.id, role.name),
      path: `/aws-service-role/${role.service}/`,
      createDate,
      assumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: role.service }, Action: 'sts:AssumeRole' }],
      }),
      description: role.description,
      maxSessionDuration: 3600,
      attachedPolicies: [`arn:aws:iam::aws:policy/aws-service-role/${role.policy}`],
      inlinePolicies: new Map(),
      tags: [],
    });
  }
}
