/**
 * Whether a break-glass alarm is in place, from what was read: the rule (enabled, its pattern naming the user's
 * sign-ins and calls), its SNS target, and a topic policy that lets EventBridge publish. Pure; `breakglass test`
 * and `doctor` use it.
 */

/** One finding of the alarm check. */
export type AlarmProblem = { id: string; message: string };

/** What the check reads. */
export type AlarmFacts = {
  userName: string;
  rule: { arn: string; pattern: string | null; state: string; targets: { arn: string }[] } | null;
  topicArn: string;
  topicPolicy: string | null | undefined;
};

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

/** True when the pattern matches the user's console sign-ins (it names the user and does not exclude sign-ins). */
export function patternWatchesUser(pattern: string | null, userName: string): boolean {
  if (!pattern) return false;
  try {
    const p = JSON.parse(pattern) as {
      'detail-type'?: unknown;
      detail?: { userIdentity?: { userName?: unknown; arn?: unknown } };
    };
    const types = list(p['detail-type']);
    const signIns = types.length === 0 || types.includes('AWS Console Sign In via CloudTrail');
    const who = p.detail?.userIdentity;
    const named = list(who?.userName).includes(userName) || list(who?.arn).some((a) => a.endsWith(`/${userName}`));
    return signIns && named;
  } catch {
    return false;
  }
}

/** True when the topic policy has an Allow for events.amazonaws.com on sns:Publish. */
export function topicLetsEventsPublish(policy: string | null | undefined): boolean {
  if (!policy) return false;
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Record<string, unknown>[];
    return statements.some(
      (s) =>
        s?.Effect === 'Allow' &&
        list((s.Principal as { Service?: unknown } | undefined)?.Service).includes('events.amazonaws.com') &&
        list(s.Action).some((a) => /^sns:(publish|\*)$/i.test(a) || a === '*'),
    );
  } catch {
    return false;
  }
}

/** The problems of the alarm (none: it is in place). */
export function alarmProblems(f: AlarmFacts): AlarmProblem[] {
  const out: AlarmProblem[] = [];
  if (!f.rule) return [{ id: 'alarm.no-rule', message: `no EventBridge rule watches ${f.userName}` }];
  if (f.rule.state === 'DISABLED') out.push({ id: 'alarm.disabled', message: `rule ${f.rule.arn} is disabled` });
  if (!patternWatchesUser(f.rule.pattern, f.userName))
    out.push({ id: 'alarm.pattern', message: `rule ${f.rule.arn} does not match console sign-ins of ${f.userName}` });
  if (!f.rule.targets.some((t) => t.arn === f.topicArn))
    out.push({ id: 'alarm.no-target', message: `rule ${f.rule.arn} does not send to ${f.topicArn}` });
  if (f.topicPolicy === null) out.push({ id: 'alarm.no-topic', message: `SNS topic ${f.topicArn} does not exist` });
  else if (!topicLetsEventsPublish(f.topicPolicy))
    out.push({
      id: 'alarm.topic-policy',
      message: `the policy of ${f.topicArn} does not let events.amazonaws.com publish: EventBridge's deliveries would fail`,
    });
  return out;
}
