/**
 * The narrow ports of `entra harden`: the Conditional Access and PIM for Groups calls the product makes, as plain
 * records (the Graph adapter in graph-harden.ts implements them).
 */
import type { ActivationRules } from '../core/reconcile/changes-harden.js';
import type { WriteOutcome } from './ports.js';

/** `conditionalAccessPolicyState`. */
export type CaState = 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';

/** A Conditional Access policy as the product reads it. */
export type CaPolicyRecord = {
  id: string;
  displayName: string;
  state: CaState;
  conditions: {
    applications: { includeApplications: string[] };
    users: { includeUsers: string[]; includeGroups: string[]; excludeUsers: string[]; excludeGroups: string[] };
  };
  grantControls: { builtInControls: string[]; authenticationStrength: { id: string } | null } | null;
};

/** The body of a new policy (conditionalAccessPolicy, Create). */
export type CaPolicyBody = {
  displayName: string;
  state: CaState;
  conditions: {
    clientAppTypes: string[];
    applications: { includeApplications: string[] };
    users: { includeGroups: string[]; excludeUsers: string[] };
  };
  grantControls: { operator: 'OR'; builtInControls: string[] };
};

/** A PIM for Groups schedule of membership: an eligibility, or an active assignment. */
export type PimSchedule = {
  id: string;
  groupId: string;
  principalId: string;
  /** Active assignments: `assigned` or `activated`; null for eligibilities. */
  assignmentType: string | null;
  endDateTime: string | null;
};

/** The activation rules of a group's membership (its PIM policy), with the approval rule as read. */
export type ActivationRulesRecord = ActivationRules & { policyId: string };

/** Reads. */
export type HardenReader = {
  listPolicies(): Promise<CaPolicyRecord[]>;
  eligibilities(groupId: string): Promise<PimSchedule[]>;
  activeAssignments(groupId: string): Promise<PimSchedule[]>;
  activationRules(groupId: string): Promise<ActivationRulesRecord | null>;
};

/** Writes; each is idempotent. */
export type HardenWriter = {
  createPolicy(body: CaPolicyBody): Promise<string>;
  setPolicyState(id: string, state: CaState): Promise<void>;
  /** Sets the policy's included groups, keeping the rest of its conditions as they are. */
  setPolicyGroups(id: string, includeGroups: string[]): Promise<void>;
  deletePolicy(id: string): Promise<void>;
  addEligibility(groupId: string, principalId: string, justification: string): Promise<WriteOutcome>;
  removeEligibility(groupId: string, principalId: string, justification: string): Promise<WriteOutcome>;
  /** Writes the expiration and enablement rules, and the approval rule when `rules.approval` is given. */
  setActivationRules(policyId: string, rules: ActivationRules): Promise<void>;
};
