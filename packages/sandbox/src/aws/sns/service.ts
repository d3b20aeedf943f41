/**
 * SNS over the Query protocol (version 2010-03-31, signing name sns): CreateTopic, GetTopicAttributes,
 * SetTopicAttributes, ListTopics, DeleteTopic, Subscribe, Unsubscribe, ListSubscriptionsByTopic, Publish.
 * Sources: the SNS API Reference (docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html, API_Subscribe.html,
 * API_Publish.html, API_GetTopicAttributes.html, API_ListSubscriptionsByTopic.html, API_DeleteTopic.html) and the
 * SDK's sns-2010-03-31 model (Attributes as `Attributes.entry.N.key/value`, results wrapped in `<ActionResult>`).
 * Email and HTTP subscriptions stay "pending confirmation" (nobody clicks the link in the sandbox); sqs, lambda
 * and application subscriptions are confirmed at once.
 */
import { randomUUID } from 'node:crypto';
import type { AwsContext, QueryParams, QueryService } from '../context.js';
import { AwsError } from '../errors.js';
import { requireParam, structListParam } from '../query.js';
import { publishToTopic, type SnsTopic, snsStateOf } from './state.js';

const TOPIC_NAME = /^[\w-]{1,256}$/;
const TOPIC_ARN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([\w-]{1,256})$/;
const CONFIRMED_AT_ONCE = new Set(['sqs', 'lambda', 'application', 'firehose']);
const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);

function notFound(): AwsError {
  return new AwsError('NotFound', 'Topic does not exist', 404);
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameter', `Invalid parameter: ${message}`, 400);
}

/** `Attributes.entry.N.key` / `.value` (the Query form of a map). */
function mapParam(params: QueryParams, name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 1; params.has(`${name}.entry.${i}.key`); i++)
    out.set(params.get(`${name}.entry.${i}.key`)!, params.get(`${name}.entry.${i}.value`) ?? '');
  return out;
}

function topicOf(ctx: AwsContext, arn: string): SnsTopic {
  const match = TOPIC_ARN.exec(arn);
  if (!match) throw invalid('TopicArn');
  const topic = snsStateOf(ctx.world).topics.get(arn);
  if (!topic || topic.accountId !== ctx.caller.accountId) throw notFound();
  return topic;
}

function defaultPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:Subscribe', 'SNS:Publish'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

function createTopic(ctx: AwsContext, params: QueryParams) {
  const name = requireParam(params, 'Name');
  if (!TOPIC_NAME.test(name)) throw invalid('Topic Name');
  const arn = `arn:aws:sns:${ctx.region}:${ctx.caller.accountId}:${name}`;
  const topics = snsStateOf(ctx.world).topics;
  // CreateTopic is idempotent: the same name answers the existing topic's ARN (API_CreateTopic).
  if (!topics.has(arn)) {
    const attributes = new Map([['Policy', defaultPolicy(arn, ctx.caller.accountId)]]);
    for (const [k, v] of mapParam(params, 'Attributes')) attributes.set(k, v);
    const tags = structListParam(params, 'Tags').map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
    topics.set(arn, { topicArn: arn, name, accountId: ctx.caller.accountId, attributes, subscriptions: [], tags });
  }
  return { TopicArn: arn };
}

function getTopicAttributes(ctx: AwsContext, params: QueryParams) {
  const topic = topicOf(ctx, requireParam(params, 'TopicArn'));
  const confirmed = topic.subscriptions.filter((s) => !s.subscriptionArn.startsWith('pending')).length;
  const attributes = new Map<string, string>([
    ['TopicArn', topic.topicArn],
    ['Owner', topic.accountId],
    ['DisplayName', topic.attributes.get('DisplayName') ?? ''],
    ['SubscriptionsConfirmed', String(confirmed)],
    ['SubscriptionsPending', String(topic.subscriptions.length - confirmed)],
    ['SubscriptionsDeleted', '0'],
    ...topic.attributes,
  ]);
  return { Attributes: attributes };
}

function subscribe(ctx: AwsContext, params: QueryParams) {
  const topic = topicOf(ctx, requireParam(params, 'TopicArn'));
  const protocol = requireParam(params, 'Protocol');
  if (!PROTOCOLS.has(protocol)) throw invalid('Invalid protocol type: ' + protocol);
  const endpoint = params.get('Endpoint') ?? '';
  if (protocol.startsWith('email') && !/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalid('Email address');
  const existing = topic.subscriptions.find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing) return { SubscriptionArn: existing.subscriptionArn };
  const confirmed = CONFIRMED_AT_ONCE.has(protocol);
  const subscriptionArn = confirmed ? `${topic.topicArn}:${randomUUID()}` : 'pending confirmation';
  topic.subscriptions.push({ subscriptionArn, protocol, endpoint, owner: ctx.caller.accountId });
  return { SubscriptionArn: subscriptionArn };
}

/** The SNS service table for the AWS route. */
export const snsService: QueryService = {
  service: 'sns',
  version: '2010-03-31',
  xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  handlers: {
    CreateTopic: createTopic,
    GetTopicAttributes: getTopicAttributes,
    SetTopicAttributes: (ctx, params) => {
      const topic = topicOf(ctx, requireParam(params, 'TopicArn'));
      topic.attributes.set(requireParam(params, 'AttributeName'), params.get('AttributeValue') ?? '');
      return {};
    },
    ListTopics: (ctx) => ({
      Topics: [...snsStateOf(ctx.world).topics.values()]
        .filter((t) => t.accountId === ctx.caller.accountId)
        .map((t) => ({ TopicArn: t.topicArn })),
    }),
    DeleteTopic: (ctx, params) => {
      const arn = requireParam(params, 'TopicArn');
      // Deleting a topic that does not exist succeeds (API_DeleteTopic: "does not result in an error").
      const topic = snsStateOf(ctx.world).topics.get(arn);
      if (topic && topic.accountId === ctx.caller.accountId) snsStateOf(ctx.world).topics.delete(arn);
      return {};
    },
    Subscribe: subscribe,
    Unsubscribe: (ctx, params) => {
      const arn = requireParam(params, 'SubscriptionArn');
      for (const t of snsStateOf(ctx.world).topics.values())
        t.subscriptions = t.subscriptions.filter((s) => s.subscriptionArn !== arn);
      return {};
    },
    ListSubscriptionsByTopic: (ctx, params) => {
      const topic = topicOf(ctx, requireParam(params, 'TopicArn'));
      return {
        Subscriptions: topic.subscriptions.map((s) => ({
          SubscriptionArn: s.subscriptionArn,
          Owner: s.owner,
          Protocol: s.protocol,
          Endpoint: s.endpoint,
          TopicArn: topic.topicArn,
        })),
      };
    },
    Publish: (ctx, params) => {
      const topic = topicOf(ctx, requireParam(params, 'TopicArn'));
      const message = requireParam(params, 'Message');
      const messageId = publishToTopic(ctx.world, topic, {
        subject: params.get('Subject') ?? null,
        message,
        sentBy: 'publish',
      });
      return { MessageId: messageId };
    },
  },
};
