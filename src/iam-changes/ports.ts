/**
 * The narrow ports `breakglass` and `replace` write and read through: IAM (users, console passwords, roles, OIDC
 * providers) and the alarm services (SNS topics, EventBridge rules), one account at a time. The AWS adapters
 * (src/aws/iam-writer.ts, src/aws/alarm-client.ts) and the dry-run wrapper implement them.
 */

import type { RolesAnywherePort } from './rolesanywhere-port.js';

/** An IAM user as these commands need it. */
export type IamUserFacts = {
  arn: string;
  tags: Record<string, string>;
  hasPassword: boolean;
  mfaDevices: string[];
  attachedPolicies: string[];
};

/** IAM reads and writes in one account. Deletes of what is already gone succeed. */
export type IamWritePort = {
  getUser(userName: string): Promise<IamUserFacts | null>;
  createUser(userName: string, tags: Record<string, string>): Promise<string>;
  deleteUser(userName: string): Promise<void>;
  attachUserPolicy(userName: string, policyArn: string): Promise<void>;
  detachUserPolicy(userName: string, policyArn: string): Promise<void>;
  /** Sets a console password (made by the caller, never stored). */
  createLoginProfile(userName: string, password: string, resetRequired: boolean): Promise<void>;
  deleteLoginProfile(userName: string): Promise<void>;
  getRole(roleName: string): Promise<{ arn: string; trustPolicy: string } | null>;
  createRole(input: {
    roleName: string;
    trustPolicy: string;
    description: string;
    tags: Record<string, string>;
  }): Promise<string>;
  deleteRole(roleName: string): Promise<void>;
  /** The role's inline policy document, or null when it has none of that name. */
  getRolePolicy(roleName: string, policyName: string): Promise<string | null>;
  putRolePolicy(roleName: string, policyName: string, document: string): Promise<void>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<void>;
  /** The ARNs of the account's OIDC providers. */
  listOidcProviders(): Promise<string[]>;
  createOidcProvider(
    url: string,
    clientIds: string[],
    thumbprints: string[],
    tags: Record<string, string>,
  ): Promise<string>;
  deleteOidcProvider(arn: string): Promise<void>;
  /** The instance profile with the names of its roles, or null when there is none of that name. */
  getInstanceProfile(name: string): Promise<{ arn: string; roles: string[] } | null>;
  createInstanceProfile(name: string, tags: Record<string, string>): Promise<string>;
  deleteInstanceProfile(name: string): Promise<void>;
  addRoleToInstanceProfile(name: string, roleName: string): Promise<void>;
  removeRoleFromInstanceProfile(name: string, roleName: string): Promise<void>;
};

/** An EventBridge rule as these commands read it. */
export type RuleFacts = { arn: string; pattern: string | null; state: string; targets: { id: string; arn: string }[] };

/** SNS and EventBridge in one account and region. Deletes of what is already gone succeed. */
export type AlarmPort = {
  /** The topic's attributes, or null when there is no such topic. */
  topicAttributes(topicArn: string): Promise<Record<string, string> | null>;
  createTopic(name: string, policy: string, tags: Record<string, string>): Promise<string>;
  deleteTopic(topicArn: string): Promise<void>;
  /** The rule with its targets, or null. */
  describeRule(name: string): Promise<RuleFacts | null>;
  /** The rules of the default bus (names and patterns), for `doctor`. */
  listRules(): Promise<{ name: string; pattern: string | null; state: string }[]>;
  putRule(input: { name: string; pattern: string; state: string; description: string }): Promise<string>;
  deleteRule(name: string): Promise<void>;
  putTarget(rule: string, targetId: string, arn: string): Promise<void>;
  removeTarget(rule: string, targetId: string): Promise<void>;
};

/** Reaches the ports of an account (and region, for the alarm services and Roles Anywhere). */
export type IamChangePorts = {
  iam(accountId: string): Promise<IamWritePort>;
  alarms(accountId: string, region: string): Promise<AlarmPort>;
  rolesAnywhere(accountId: string, region: string): Promise<RolesAnywherePort>;
  /** The partition of the caller (`aws`, `aws-cn`, `aws-us-gov`) and its account. */
  caller(): Promise<{ accountId: string; partition: string }>;
  close(): void;
};
