/**
 * IAM state operations over one account, shared by the IAM protocol handlers, the scenario generator and
 * Identity Center provisioning. They enforce IAM's names, quotas and conflicts and throw AwsError as IAM would.
 */
export * from './ops/attachments.js';
export * from './ops/credentials.js';
export * from './ops/groups.js';
export * from './ops/mfa.js';
export * from './ops/policies.js';
export * from './ops/roles.js';
export * from './ops/scope.js';
export * from './ops/user-keys.js';
export * from './ops/users.js';
