/**
 * Organizations EnablePolicyType and DisablePolicyType for service control policies. Disabling detaches every SCP
 * (they stop applying); enabling attaches FullAWSAccess to the root, every OU and every account again, as AWS does
 * (Organizations user guide, "Enabling and disabling policy types").
 */
import { type OrganizationState, rootArn } from '../../world/organization-state.js';
import type { JsonHandler } from '../context.js';
import { AwsError } from '../errors.js';
import { invalidInput, organizationFor, requireString } from './common.js';

const SCP = 'SERVICE_CONTROL_POLICY';

/** Whether SCPs are enabled in the organization's root. */
export function scpEnabled(org: OrganizationState): boolean {
  return org.scpEnabled !== false;
}

/** The PolicyTypes member of the root, as ListRoots and these calls return it. */
export function rootPolicyTypes(org: OrganizationState): { Type: string; Status: string }[] {
  return scpEnabled(org) ? [{ Type: SCP, Status: 'ENABLED' }] : [];
}

function requireRoot(org: OrganizationState, input: Record<string, unknown>): void {
  const id = requireString(input, 'RootId');
  if (!/^r-[0-9a-z]{4,32}$/.test(id))
    throw invalidInput('INVALID_PATTERN', "You specified a root ID that doesn't match the required pattern.");
  if (id !== org.rootId)
    throw new AwsError('RootNotFoundException', "We can't find a root with the RootId that you specified.", 400);
  const type = requireString(input, 'PolicyType');
  if (type !== SCP)
    throw new AwsError(
      'PolicyTypeNotAvailableForOrganizationException',
      'This policy type is not available here.',
      400,
    );
}

function rootView(org: OrganizationState) {
  return { Root: { Id: org.rootId, Arn: rootArn(org), Name: 'Root', PolicyTypes: rootPolicyTypes(org) } };
}

/** The policy type handlers, by operation name. */
export const policyTypeHandlers: Record<string, JsonHandler> = {
  EnablePolicyType: (ctx, input) => {
    const org = organizationFor(ctx);
    requireRoot(org, input);
    if (scpEnabled(org))
      throw new AwsError('PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled.', 400);
    org.scpEnabled = true;
    const full = [...org.policies.values()].find((p) => p.awsManaged && p.name === 'FullAWSAccess');
    if (full) for (const id of [org.rootId, ...org.units.keys(), ...org.accounts.keys()]) full.targets.add(id);
    return rootView(org);
  },

  DisablePolicyType: (ctx, input) => {
    const org = organizationFor(ctx);
    requireRoot(org, input);
    if (!scpEnabled(org))
      throw new AwsError(
        'PolicyTypeNotEnabledException',
        'This operation can be performed only for enabled policy types.',
        400,
      );
    org.scpEnabled = false;
    for (const p of org.policies.values()) p.targets.clear();
    return rootView(org);
  },
};
