/**
 * CloudTrail to EventBridge: every event the sandbox records is put on the account's default event bus as
 * CloudTrail delivers it (detail-type "AWS API Call via CloudTrail", or "AWS Console Sign In via CloudTrail" for
 * ConsoleLogin; source `aws.<service>`, e.g. `aws.signin`, `aws.iam`; the record as `detail`), matched against
 * the account's enabled rules, and sent to their SNS targets (the message is the event JSON, as EventBridge sends
 * it when a target has no input transformer). Read-only management events reach only rules in the state
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. Sources: "AWS service events delivered via AWS CloudTrail"
 * (docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html), the AWS Sign-In events
 * reference (eventbridge/latest/ref/events-ref-signin), API_PutRule's State.
 */
import { randomUUID } from 'node:crypto';
import type { TrailRecord } from '../../world/cloudtrail-state.js';
import type { World } from '../../world/world.js';
import { publishToTopic, snsStateOf } from '../sns/state.js';
import { patternMatches } from './pattern.js';
import { eventRulesOf } from './state.js';

/** The EventBridge event CloudTrail makes of a record. */
export function eventOfTrailRecord(record: TrailRecord, eventId: string = randomUUID()): Record<string, unknown> {
  const signIn = record.eventType === 'AwsConsoleSignIn';
  return {
    version: '0',
    id: eventId,
    'detail-type': signIn ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail',
    source: `aws.${record.eventSource.replace(/\.amazonaws\.com$/, '')}`,
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

/**
 * Whether the topic's access policy lets EventBridge publish (a statement allowing the service principal
 * `events.amazonaws.com` the action `sns:Publish`): without it AWS drops the delivery as a failed invocation
 * (eb-use-resource-based.html, "Amazon SNS permissions").
 */
export function topicAllowsEvents(policy: string | undefined): boolean {
  if (!policy) return false;
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Record<string, unknown>[];
    const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
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

/** Puts a recorded CloudTrail event on its account's bus and delivers it to the targets of the rules it matches. */
export function routeTrailRecord(world: World, record: TrailRecord): void {
  const rules = [...eventRulesOf(world).values()].filter(
    (r) => r.accountId === record.recipientAccountId && r.eventPattern && r.state !== 'DISABLED',
  );
  if (rules.length === 0) return;
  const event = eventOfTrailRecord(record);
  const readOnly = record.eventType === 'AwsApiCall' && record.readOnly;
  for (const rule of rules) {
    if (readOnly && rule.state !== 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') continue;
    if (!patternMatches(JSON.parse(rule.eventPattern!), event)) continue;
    for (const target of rule.targets) {
      const topic = snsStateOf(world).topics.get(target.Arn);
      if (!topic || !topicAllowsEvents(topic.attributes.get('Policy'))) continue;
      const message = target.Input ?? JSON.stringify(event);
      publishToTopic(world, topic, { subject: null, message, sentBy: rule.arn });
    }
  }
}
