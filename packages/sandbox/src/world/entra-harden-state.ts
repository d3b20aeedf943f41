/**
 * The Entra tenant's Conditional Access policies, PIM for Groups schedules and sign-in log (kept apart from
 * entra-state.ts so the directory stays readable). Graph handlers, the sign-in page and the clock's sweep share it.
 */

/** `conditionalAccessPolicyState` (Graph v1.0 conditionalAccessPolicy resource type). */
export type CaPolicyState = 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';

/** A Conditional Access policy as Graph stores it (the parts the sandbox evaluates are typed). */
export type CaPolicy = {
  id: string;
  displayName: string;
  state: CaPolicyState;
  createdDateTime: Date;
  modifiedDateTime: Date | null;
  conditions: {
    applications: { includeApplications: string[]; excludeApplications: string[] };
    users: {
      includeUsers: string[];
      excludeUsers: string[];
      includeGroups: string[];
      excludeGroups: string[];
      includeRoles: string[];
      excludeRoles: string[];
    };
    clientAppTypes: string[];
  };
  grantControls: {
    operator: string;
    builtInControls: string[];
    authenticationStrength: { id: string } | null;
  } | null;
};

/** A PIM for Groups schedule: an eligibility, or an active assignment (permanent or activated for a while). */
export type PimSchedule = {
  id: string;
  groupId: string;
  principalId: string;
  accessId: 'member' | 'owner';
  createdDateTime: Date;
  startDateTime: Date;
  /** null: no expiration. */
  endDateTime: Date | null;
  /** `assigned` (an admin made it) or `activated` (the principal activated an eligibility). */
  assignmentType: 'assigned' | 'activated';
  createdUsing: string;
  justification: string | null;
};

/** A schedule request as Graph answers it. */
export type PimRequest = {
  id: string;
  kind: 'eligibility' | 'assignment';
  action: string;
  groupId: string;
  principalId: string;
  accessId: string;
  status: string;
  justification: string | null;
  createdDateTime: Date;
  scheduleInfo: unknown;
  targetScheduleId: string | null;
  /** The approval that decides a selfActivate the group's approval rule holds (its id is the request's). */
  approvalId?: string | null;
};

/** A group's `Approval_EndUser_Assignment` rule (approvalSettings, one stage), as Graph stores it. */
export type PimApprovalRule = {
  isApprovalRequired: boolean;
  isRequestorJustificationRequired: boolean;
  isApproverJustificationRequired: boolean;
  /** subjectSet records as written (`#microsoft.graph.singleUser` {userId}, `#microsoft.graph.groupMembers` {groupId}). */
  primaryApprovers: Record<string, unknown>[];
};

/** The approval of a held activation: one stage its approvers decide. */
export type PimApproval = {
  /** The assignment schedule request's id (Graph uses the same identifier). */
  id: string;
  stageId: string;
  status: 'InProgress' | 'Completed';
  reviewResult: 'NotReviewed' | 'Approve' | 'Deny';
  reviewedBy: { id: string; displayName: string } | null;
  reviewedDateTime: Date | null;
  justification: string;
  approvers: Record<string, unknown>[];
  isApproverJustificationRequired: boolean;
  /** What an approval makes: an activation of this length from the moment it is approved. */
  activation: { groupId: string; principalId: string; durationMs: number; justification: string | null };
};

/** PIM for Groups: eligibilities, active assignments, requests, and the activation rule of each group. */
export type PimState = {
  eligibilities: Map<string, PimSchedule>;
  assignments: Map<string, PimSchedule>;
  requests: PimRequest[];
  /** Longest activation allowed (ISO-8601 duration), by group id; default PT8H as Entra's default policy. */
  maxActivation: Map<string, string>;
  /** Group ids whose activation needs no justification (Entra's default asks for one). */
  justificationOptional?: Set<string>;
  /** Approval rules by group id (absent: Entra's default, no approval). */
  approvalRules?: Map<string, PimApprovalRule>;
  /** Approvals of held activations, by request id. */
  approvals?: Map<string, PimApproval>;
};

/** One interactive sign-in, with what each Conditional Access policy decided (Graph `signIn` resource, trimmed). */
export type SignInLogEntry = {
  createdDateTime: Date;
  userPrincipalName: string;
  appId: string;
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied';
  appliedConditionalAccessPolicies: { id: string; displayName: string; result: string }[];
};

/** The tenant's licences: P1 for Conditional Access, P2 (or ID Governance) for PIM. */
export type TenantLicences = { premiumP1: boolean; premiumP2: boolean };

/** The harden half of a tenant, created on first use. */
export type EntraHardenState = {
  policies: Map<string, CaPolicy>;
  pim: PimState;
  signIns: SignInLogEntry[];
  licences: TenantLicences;
};
