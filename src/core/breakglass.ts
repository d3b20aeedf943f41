/**
 * The break-glass user and its alarm, as data: which user (the plan's break-glass entry in the account, or a new
 * `break-glass-admin`), the documented policy (AdministratorAccess, as the field guide's Step 7.6 gives it), the
 * EventBridge pattern that matches its console sign-ins and API calls, the SNS topic policy that lets EventBridge
 * publish, and the changes that make what is missing. Pure.
 */

import type { MigrationPlan } from './plan-types.js';
import type { OwnedIamChange } from './reconcile/changes-breakglass.js';

/** The user name the field guide uses when the plan names none. */
export const DEFAULT_BREAK_GLASS_USER = 'break-glass-admin';
/** The topic made when the operator names none. */
export const DEFAULT_ALARM_TOPIC = 'iam2sso-break-glass-alarm';
/** The id of the rule's SNS target. */
export const ALARM_TARGET_ID = 'iam2sso-alarm';
/** Tags on what `breakglass create` makes. */
export const BREAK_GLASS_TAGS = { 'managed-by': 'iam2sso', purpose: 'break-glass' } as const;

/** The documented policy of the break-glass user. */
export function breakGlassPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/AdministratorAccess`;
}

/** The plan's break-glass user in the account (users classified break-glass that the plan keeps), if any. */
export function plannedBreakGlassUser(plan: MigrationPlan | null, accountId: string): string | null {
  const user = plan?.users.find(
    (u) => u.accountId === accountId && u.category === 'break-glass' && u.action !== 'decommission',
  );
  return user?.userName ?? null;
}

/** The alarm rule's name for a user (EventBridge: 1-64 of `[.\-_A-Za-z0-9]`). */
export function alarmRuleName(userName: string): string {
  return `iam2sso-break-glass-${userName.replace(/[^.\-_A-Za-z0-9]/g, '-')}`.slice(0, 64);
}

/**
 * The event pattern of the alarm: any console sign-in (successful or not) and any API call by the user, as
 * CloudTrail delivers them to EventBridge (detail-types from eb-service-event-cloudtrail.html; the user is named in
 * `detail.userIdentity` of both kinds of record).
 */
export function alarmPattern(accountId: string, userName: string): string {
  return JSON.stringify({
    account: [accountId],
    'detail-type': ['AWS Console Sign In via CloudTrail', 'AWS API Call via CloudTrail'],
    detail: { userIdentity: { type: ['IAMUser'], userName: [userName] } },
  });
}

/** The topic policy that lets the rule (and only it) publish; the account keeps its default rights. */
export function alarmTopicPolicy(topicArn: string, ruleArn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OwnerManages',
        Effect: 'Allow',
        Principal: { AWS: `arn:${topicArn.split(':')[1]}:iam::${accountId}:root` },
        Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:Publish', 'sns:DeleteTopic'],
        Resource: topicArn,
      },
      {
        Sid: 'BreakGlassRulePublishes',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
    ],
  });
}

/** What is there already. */
export type BreakGlassLive = {
  /** The user exists; `owned`: the tool made it; what it has (read only when it exists). */
  user: { exists: boolean; owned: boolean; policyAttached?: boolean; hasPassword?: boolean };
  /** The rule exists; `owned`: the tool made it; `targets`: its target ARNs. */
  rule: { exists: boolean; owned: boolean; targets: string[] };
  /** The topic exists (the one named, or the default one); `owned`: the tool made it. */
  topic: { exists: boolean; owned: boolean };
};

/** What the command is asked to do. */
export type BreakGlassRequest = {
  accountId: string;
  region: string;
  partition: string;
  userName: string;
  /** The topic the operator named, or null for the tool's own. */
  topicArn: string | null;
};

/** The changes that make the user and its alarm, and why anything is left as it is. */
export function planBreakGlass(
  req: BreakGlassRequest,
  live: BreakGlassLive,
): { changes: OwnedIamChange[]; notes: string[] } {
  const { accountId, region, partition, userName } = req;
  const changes: OwnedIamChange[] = [];
  const notes: string[] = [];
  if (!live.user.exists) {
    changes.push(
      { kind: 'iam.owned-user.create', accountId, userName, tags: { ...BREAK_GLASS_TAGS } },
      { kind: 'iam.user.attach-policy', accountId, userName, policyArn: breakGlassPolicyArn(partition) },
      { kind: 'iam.owned-login-profile.create', accountId, userName, passwordResetRequired: true },
    );
  } else if (live.user.owned) {
    // A run stopped half-way (kill -9, a failed call) left the user without what follows its creation.
    if (!live.user.policyAttached)
      changes.push({ kind: 'iam.user.attach-policy', accountId, userName, policyArn: breakGlassPolicyArn(partition) });
    if (!live.user.hasPassword)
      changes.push({ kind: 'iam.owned-login-profile.create', accountId, userName, passwordResetRequired: true });
  } else {
    notes.push(
      `IAM user ${userName} exists and was not made by iam2sso: its policy, password and MFA are left as they are (doctor reports what is missing)`,
    );
  }
  const topicName = req.topicArn ? req.topicArn.split(':').pop()! : DEFAULT_ALARM_TOPIC;
  const topicArn = req.topicArn ?? `arn:${partition}:sns:${region}:${accountId}:${topicName}`;
  const ruleName = alarmRuleName(userName);
  const ruleArn = `arn:${partition}:events:${region}:${accountId}:rule/${ruleName}`;
  if (!req.topicArn && !live.topic.exists)
    changes.push({
      kind: 'sns.topic.create',
      accountId,
      region,
      name: topicName,
      policy: alarmTopicPolicy(topicArn, ruleArn, accountId),
      tags: { ...BREAK_GLASS_TAGS },
    });
  if (req.topicArn && !live.topic.exists) notes.push(`SNS topic ${req.topicArn} does not exist (or cannot be read)`);
  if (live.rule.exists && !live.rule.owned) {
    notes.push(`EventBridge rule ${ruleName} exists and was not made by iam2sso: left as it is`);
    return { changes, notes };
  }
  if (!live.rule.exists)
    changes.push({
      kind: 'events.rule.put',
      accountId,
      region,
      name: ruleName,
      pattern: alarmPattern(accountId, userName),
      // Read-only calls by the break-glass user must alarm too (API_PutRule: State).
      state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      description: `iam2sso: alarm on any use of the break-glass user ${userName}`,
    });
  if (!live.rule.targets.includes(topicArn))
    changes.push({
      kind: 'events.target.put',
      accountId,
      region,
      rule: ruleName,
      targetId: ALARM_TARGET_ID,
      arn: topicArn,
    });
  return { changes, notes };
}
