/**
 * The `plan:` section of iam2sso.yaml:
 *
 *     plan:
 *       sessionDurations: { admin: PT1H, powerUser: PT8H, readOnly: PT12H }
 *       groupNameTemplate: AWS-{account}-{permissionSet}
 *       allAccountsGroupNameTemplate: AWS-AllAccounts-{permissionSet}
 *       identity: { tagKeys: [email], template: "{user}@example.com", mappingFile: users.csv, directoryLookup: false }
 *       managedPoliciesQuota: 10
 *       customerManagedPolicies: inline   # or reference
 */
import { isScalar } from 'yaml';
import type { PlanSettings } from '../core/plan-settings.js';
import { MAX_MANAGED_POLICY_QUOTA } from '../core/policy/size.js';
import type { ConfigSection } from './config.js';
import { problem, type ReadContext, readEnum, readInt, readMap, readSeq, readString } from './read.js';

const DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?$/;

/** Reads the `plan:` section into `settings` (in place), recording problems in `ctx`. */
export function readPlanSection(ctx: ReadContext, node: unknown, settings: PlanSettings): void {
  const keys = [
    'sessionDurations',
    'groupNameTemplate',
    'allAccountsGroupNameTemplate',
    'identity',
    'managedPoliciesQuota',
    'customerManagedPolicies',
  ];
  const m = readMap(ctx, node, 'plan', keys);
  if (!m) return;
  const durations = m.get('sessionDurations');
  if (durations) {
    const d = readMap(ctx, durations.value, 'plan.sessionDurations', ['admin', 'powerUser', 'readOnly']);
    for (const [k, v] of d ?? []) {
      const s = readString(ctx, v.value, `plan.sessionDurations.${k}`);
      if (s !== undefined && validDuration(s))
        settings.sessionDurations[k as keyof PlanSettings['sessionDurations']] = s;
      else if (s !== undefined)
        problem(ctx, v.value, `plan.sessionDurations.${k} must be an ISO-8601 duration from PT1H to PT12H`);
    }
  }
  for (const key of ['groupNameTemplate', 'allAccountsGroupNameTemplate'] as const) {
    const entry = m.get(key);
    if (!entry) continue;
    const s = readString(ctx, entry.value, `plan.${key}`);
    if (s?.includes('{permissionSet}')) settings[key] = s;
    else if (s !== undefined) problem(ctx, entry.value, `plan.${key} must contain {permissionSet}`);
  }
  const quota = m.get('managedPoliciesQuota');
  if (quota)
    settings.managedPoliciesQuota =
      readInt(ctx, quota.value, 'plan.managedPoliciesQuota', 1, MAX_MANAGED_POLICY_QUOTA) ??
      settings.managedPoliciesQuota;
  const cmp = m.get('customerManagedPolicies');
  if (cmp)
    settings.customerManagedPolicies =
      readEnum(ctx, cmp.value, 'plan.customerManagedPolicies', ['inline', 'reference'] as const) ??
      settings.customerManagedPolicies;
  const identity = m.get('identity');
  if (identity) readIdentity(ctx, identity.value, settings.identity);
}

function readIdentity(ctx: ReadContext, node: unknown, out: PlanSettings['identity']): void {
  const m = readMap(ctx, node, 'plan.identity', ['tagKeys', 'template', 'mappingFile', 'directoryLookup']);
  if (!m) return;
  const tags = m.get('tagKeys');
  if (tags)
    out.tagKeys = readSeq(ctx, tags.value, 'plan.identity.tagKeys').flatMap(
      (t, i) => readString(ctx, t, `plan.identity.tagKeys[${i}]`) ?? [],
    );
  const template = m.get('template');
  if (template) {
    const s = readString(ctx, template.value, 'plan.identity.template');
    if (s?.includes('{user}') && s.includes('@')) out.template = s;
    else if (s !== undefined) problem(ctx, template.value, 'plan.identity.template must look like {user}@example.com');
  }
  const file = m.get('mappingFile');
  if (file) out.mappingFile = readString(ctx, file.value, 'plan.identity.mappingFile') ?? null;
  const lookup = m.get('directoryLookup');
  if (lookup) {
    if (isScalar(lookup.value) && typeof lookup.value.value === 'boolean') out.directoryLookup = lookup.value.value;
    else problem(ctx, lookup.value, 'plan.identity.directoryLookup must be true or false');
  }
}

function validDuration(s: string): boolean {
  const m = DURATION.exec(s);
  if (!m || (!m[1] && !m[2])) return false;
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  return minutes >= 60 && minutes <= 720;
}

/** The `plan:` section as a config file section. */
export const planSection: ConfigSection = {
  key: 'plan',
  read(ctx, node, config) {
    readPlanSection(ctx, node, config.plan);
  },
};
