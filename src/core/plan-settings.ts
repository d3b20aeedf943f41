/**
 * The knobs of planning (the `plan:` section of iam2sso.yaml), with the defaults the seed guide suggests.
 */
import { DEFAULT_MANAGED_POLICY_QUOTA } from './policy/size.js';

export type PlanSettings = {
  /** ISO-8601 session durations by permission set kind. */
  sessionDurations: { admin: string; powerUser: string; readOnly: string };
  /** Entra group names; `{account}` (alias, else name), `{accountId}`, `{permissionSet}`. */
  groupNameTemplate: string;
  /** Name for a permission set given to the same people in every account. */
  allAccountsGroupNameTemplate: string;
  identity: {
    /** IAM user tags holding the person's UPN or email, tried in order. */
    tagKeys: string[];
    /** E.g. `{user}@example.com`; null: no template. */
    template: string | null;
    /** Path of a CSV/YAML file of account,user,upn rows; null: none. */
    mappingFile: string | null;
    /** Look users up in the Entra directory when one is configured. */
    directoryLookup: boolean;
  };
  /** Managed + customer managed policies per permission set (10 by default, up to 25 when raised). */
  managedPoliciesQuota: number;
  /** Customer managed policies: merged into the inline policy, or referenced by name and path. */
  customerManagedPolicies: 'inline' | 'reference';
};

/** The settings when nothing is configured. */
export function defaultPlanSettings(): PlanSettings {
  return {
    sessionDurations: { admin: 'PT1H', powerUser: 'PT8H', readOnly: 'PT12H' },
    groupNameTemplate: 'AWS-{account}-{permissionSet}',
    allAccountsGroupNameTemplate: 'AWS-AllAccounts-{permissionSet}',
    identity: { tagKeys: ['email'], template: null, mappingFile: null, directoryLookup: false },
    managedPoliciesQuota: DEFAULT_MANAGED_POLICY_QUOTA,
    customerManagedPolicies: 'inline',
  };
}

/** Applies a partial `plan:` section over the defaults. */
export function mergePlanSettings(partial: DeepPartial<PlanSettings> | undefined): PlanSettings {
  const base = defaultPlanSettings();
  if (!partial) return base;
  return {
    ...base,
    ...stripUndefined(partial),
    sessionDurations: { ...base.sessionDurations, ...stripUndefined(partial.sessionDurations ?? {}) },
    identity: { ...base.identity, ...stripUndefined(partial.identity ?? {}) } as PlanSettings['identity'],
  } as PlanSettings;
}

/** Every field optional, recursively. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
