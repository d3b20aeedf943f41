/**
 * SNS state of the sandbox: topics per account with their attributes and subscriptions, and the delivery log (every
 * message published, by Publish or by an EventBridge rule, with the subscriptions it went to), which tests and
 * `breakglass test` read through the control API (`GET /_sandbox/sns/deliveries`). Kept per world, created on
 * first use.
 */
import { randomUUID } from 'node:crypto';
import type { World } from '../../world/world.js';

/** One subscription of a topic. */
export type SnsSubscription = { subscriptionArn: string; protocol: string; endpoint: string; owner: string };

/** One topic. */
export type SnsTopic = {
  topicArn: string;
  name: string;
  accountId: string;
  attributes: Map<string, string>;
  subscriptions: SnsSubscription[];
  tags: { key: string; value: string }[];
};

/** One message SNS accepted, and who it went to. */
export type SnsDelivery = {
  messageId: string;
  topicArn: string;
  subject: string | null;
  message: string;
  /** `publish` (an sns:Publish call) or the ARN of the EventBridge rule that sent it. */
  sentBy: string;
  time: string;
  deliveredTo: { protocol: string; endpoint: string }[];
};

/** The SNS state of a world. */
export type SnsState = { topics: Map<string, SnsTopic>; deliveries: SnsDelivery[] };

const states = new WeakMap<World, SnsState>();

/** The world's SNS state. */
export function snsStateOf(world: World): SnsState {
  let state = states.get(world);
  if (!state) {
    state = { topics: new Map(), deliveries: [] };
    states.set(world, state);
  }
  return state;
}

/** Records a message on a topic and "delivers" it to every confirmed subscription; returns the message id. */
export function publishToTopic(
  world: World,
  topic: SnsTopic,
  message: { subject: string | null; message: string; sentBy: string },
): string {
  const messageId = randomUUID();
  snsStateOf(world).deliveries.push({
    messageId,
    topicArn: topic.topicArn,
    ...message,
    time: world.clock.now().toISOString(),
    deliveredTo: topic.subscriptions
      .filter((s) => !s.subscriptionArn.startsWith('pending'))
      .map(({ protocol, endpoint }) => ({ protocol, endpoint })),
  });
  return messageId;
}
