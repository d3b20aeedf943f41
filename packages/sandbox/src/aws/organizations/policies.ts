/**
 * Organizations service control policies: create, update, describe, delete, list, attach and detach, with the
 * real quotas (5,120 characters, 5 per target, at least 1 per target, 1,000 per organization) and errors.
 */
import { randomBytes } from 'node:crypto';
import {
  describeTarget,
  type OrganizationState,
  type OrgPolicy,
  orgTargetType,
  policiesAttachedTo,
  SCP_LIMITS,
} from '../../world/organization-state.js';
import type { JsonHandler } from '../context.js';
import { AwsError } from '../errors.js';
import { constraintViolation, invalidInput, organizationFor, page, requireString } from './common.js';
import { scpEnabled } from './policy-types.js';

const SCP = 'SERVICE_CONTROL_POLICY';
const POLICY_TYPES = new Set([
  'AISERVICES_OPT_OUT_POLICY',
  'BACKUP_POLICY',
  'BEDROCK_POLICY',
  'CHATBOT_POLICY',
  'DECLARATIVE_POLICY_EC2',
  'GUARDDUTY_POLICY',
  'INSPECTOR_POLICY',
  'NETWORK_SECURITY_DIRECTOR_POLICY',
  'RESOURCE_CONTROL_POLICY',
  'S3_POLICY',
  'SECURITYHUB_CSPM_POLICY',
  'SECURITYHUB_POLICY',
  SCP,
  'TAG_POLICY',
  'UPGRADE_ROLLOUT_POLICY',
]);
const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
const TARGET_ID = /^(r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function summary(p: OrgPolicy) {
  return { Id: p.id, Arn: p.arn, Name: p.name, Description: p.description, Type: p.type, AwsManaged: p.awsManaged };
}

function view(p: OrgPolicy) {
  return { Policy: { PolicySummary: summary(p), Content: p.content } };
}

/** Checks a policy type filter: SERVICE_CONTROL_POLICY is served; other real types are not enabled. */
function requireScpType(value: string, { listing }: { listing: boolean }): boolean {
  if (!POLICY_TYPES.has(value))
    throw invalidInput('INVALID_ENUM_POLICY_TYPE', 'You specified an invalid policy type string.');
  if (value === SCP) return true;
  if (listing) return false;
  throw new AwsError(
    'PolicyTypeNotEnabledException',
    'This operation can be performed only for enabled policy types.',
    400,
  );
}

function requirePolicy(org: OrganizationState, input: Record<string, unknown>): OrgPolicy {
  const id = requireString(input, 'PolicyId');
  if (!POLICY_ID.test(id)) throw invalidInput('INVALID_SYNTAX_POLICY_ID', 'You specified an invalid policy ID.');
  const policy = org.policies.get(id);
  if (!policy)
    throw new AwsError('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.", 400);
  return policy;
}

function requireTarget(org: OrganizationState, input: Record<string, unknown>): string {
  const id = requireString(input, 'TargetId');
  if (!TARGET_ID.test(id)) {
    throw invalidInput(
      'INVALID_PATTERN_TARGET_ID',
      "You specified a policy target ID that doesn't match the required pattern.",
    );
  }
  if (!orgTargetType(org, id)) {
    throw new AwsError(
      'TargetNotFoundException',
      "We can't find a root, OU, account, or policy with the TargetId that you specified.",
      400,
    );
  }
  return id;
}

function requireMutable(policy: OrgPolicy): void {
  if (policy.awsManaged) {
    throw invalidInput('IMMUTABLE_POLICY', "You specified a policy that is managed by AWS and can't be modified.");
  }
}

/** Checks an SCP document: size first, then JSON and the policy grammar SCPs accept. */
function validateContent(content: string): void {
  if (content.length > SCP_LIMITS.contentCharacters) {
    throw constraintViolation(
      'POLICY_CONTENT_LIMIT_EXCEEDED',
      `You attempted to create a policy that is larger than the maximum size (${SCP_LIMITS.contentCharacters} characters).`,
    );
  }
  const malformed = () =>
    new AwsError(
      'MalformedPolicyDocumentException',
      "The provided policy document doesn't meet the requirements of the specified policy type.",
      400,
    );
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(content);
  } catch {
    throw malformed();
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed();
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  if (statements.length === 0) throw malformed();
  for (const s of statements as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object') throw malformed();
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed();
    if (s.Action === undefined && s.NotAction === undefined) throw malformed();
    if (s.Principal !== undefined || s.NotPrincipal !== undefined) throw malformed();
  }
}

function validateName(name: string, org: OrganizationState, except?: OrgPolicy): void {
  if (name.length > 128) throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a Name longer than 128 characters.');
  for (const p of org.policies.values()) {
    if (p !== except && p.name === name) {
      throw new AwsError('DuplicatePolicyException', 'A policy with the same name already exists.', 400);
    }
  }
}

function validateDescription(description: unknown): string {
  if (typeof description !== 'string')
    throw invalidInput('INPUT_REQUIRED', 'You must specify a value for Description.');
  if (description.length > 512) {
    throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a Description longer than 512 characters.');
  }
  return description;
}

function newPolicyId(org: OrganizationState): string {
  for (;;) {
    let id = 'p-';
    for (const b of randomBytes(8)) id += ID_ALPHABET[b % ID_ALPHABET.length];
    if (!org.policies.has(id)) return id;
  }
}

function targetSummary(org: OrganizationState, id: string) {
  const target = describeTarget(org, id)!;
  return { TargetId: id, Arn: target.arn, Name: target.name, Type: orgTargetType(org, id) };
}

/** The SCP handlers, by operation name. */
export const policyHandlers: Record<string, JsonHandler> = {
  CreatePolicy: (ctx, input) => {
    const org = organizationFor(ctx);
    const name = requireString(input, 'Name');
    const description = validateDescription(input.Description);
    const content = requireString(input, 'Content');
    requireScpType(requireString(input, 'Type'), { listing: false });
    validateName(name, org);
    validateContent(content);
    if (org.policies.size >= SCP_LIMITS.perOrganization) {
      throw constraintViolation(
        'POLICY_NUMBER_LIMIT_EXCEEDED',
        'You attempted to exceed the number of policies that you can have in an organization.',
      );
    }
    const id = newPolicyId(org);
    const policy: OrgPolicy = {
      id,
      arn: `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/service_control_policy/${id}`,
      name,
      description,
      type: SCP,
      awsManaged: false,
      content,
      targets: new Set(),
    };
    org.policies.set(id, policy);
    return view(policy);
  },

  UpdatePolicy: (ctx, input) => {
    const org = organizationFor(ctx);
    const policy = requirePolicy(org, input);
    requireMutable(policy);
    if (input.Name !== undefined) validateName(requireString(input, 'Name'), org, policy);
    const description = input.Description !== undefined ? validateDescription(input.Description) : undefined;
    if (input.Content !== undefined) validateContent(requireString(input, 'Content'));
    if (input.Name !== undefined) policy.name = input.Name;
    if (description !== undefined) policy.description = description;
    if (input.Content !== undefined) policy.content = input.Content;
    return view(policy);
  },

  DescribePolicy: (ctx, input) => view(requirePolicy(organizationFor(ctx), input)),

  DeletePolicy: (ctx, input) => {
    const org = organizationFor(ctx);
    const policy = requirePolicy(org, input);
    requireMutable(policy);
    if (policy.targets.size > 0) {
      throw new AwsError(
        'PolicyInUseException',
        'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.',
        400,
      );
    }
    org.policies.delete(policy.id);
    return {};
  },

  ListPolicies: (ctx, input) => {
    const org = organizationFor(ctx);
    const served = requireScpType(requireString(input, 'Filter'), { listing: true });
    const p = page(served ? [...org.policies.values()] : [], input, 'ListPolicies');
    return { Policies: p.items.map(summary), NextToken: p.NextToken };
  },

  AttachPolicy: (ctx, input) => {
    const org = organizationFor(ctx);
    const policy = requirePolicy(org, input);
    if (!scpEnabled(org)) {
      throw new AwsError(
        'PolicyTypeNotEnabledException',
        'This operation can be performed only for enabled policy types.',
        400,
      );
    }
    const target = requireTarget(org, input);
    if (policy.targets.has(target)) {
      throw new AwsError(
        'DuplicatePolicyAttachmentException',
        'The selected policy is already attached to the specified target.',
        400,
      );
    }
    if (policiesAttachedTo(org, target).length >= SCP_LIMITS.perTarget) {
      throw constraintViolation(
        'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
        'You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.',
      );
    }
    policy.targets.add(target);
    return {};
  },

  DetachPolicy: (ctx, input) => {
    const org = organizationFor(ctx);
    const policy = requirePolicy(org, input);
    const target = requireTarget(org, input);
    if (!policy.targets.has(target)) {
      throw new AwsError(
        'PolicyNotAttachedException',
        "The policy isn't attached to the specified target in the specified root.",
        400,
      );
    }
    if (policiesAttachedTo(org, target).length <= 1) {
      throw constraintViolation(
        'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
        'You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.',
      );
    }
    policy.targets.delete(target);
    return {};
  },

  ListPoliciesForTarget: (ctx, input) => {
    const org = organizationFor(ctx);
    const target = requireTarget(org, input);
    const served = requireScpType(requireString(input, 'Filter'), { listing: true });
    const p = page(served ? policiesAttachedTo(org, target) : [], input, `ListPoliciesForTarget:${target}`);
    return { Policies: p.items.map(summary), NextToken: p.NextToken };
  },

  ListTargetsForPolicy: (ctx, input) => {
    const org = organizationFor(ctx);
    const policy = requirePolicy(org, input);
    const live = [...policy.targets].filter((id) => orgTargetType(org, id));
    const p = page(live, input, `ListTargetsForPolicy:${policy.id}`);
    return { Targets: p.items.map((id) => targetSummary(org, id)), NextToken: p.NextToken };
  },
};
