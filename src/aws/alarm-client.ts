/**
 * The alarm port (SNS topics, EventBridge rules on the default bus) over the AWS SDK's SNS and EventBridge clients.
 * SNS's CreateTopic and EventBridge's PutRule return an existing object of the same name: the performer reads
 * first, so a name taken by something the tool did not make is refused before the call. Deletes of what is already
 * gone succeed (SNS DeleteTopic and EventBridge DeleteRule already answer success for them).
 * Wire shapes: SNS API Reference (API_CreateTopic, API_GetTopicAttributes, API_DeleteTopic), EventBridge API
 * Reference (API_PutRule, API_DescribeRule, API_ListRules, API_DeleteRule, API_PutTargets, API_ListTargetsByRule,
 * API_RemoveTargets).
 */
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type RuleState,
} from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlarmPort, RuleFacts } from '../iam-changes/ports.js';
import { type AwsSettings, clientConfig } from './clients.js';

const notFound = (e: unknown) => /NotFound|ResourceNotFoundException/.test((e as Error).name);

/** The endpoint a service is reached at: the override, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, or AWS's. */
export function endpointOf(
  target: { region: string; endpoint?: string },
  service: 'events' | 'sns',
  env = process.env,
): string {
  return (
    target.endpoint ??
    env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] ??
    env.AWS_ENDPOINT_URL ??
    `https://${service}.${target.region}.amazonaws.com`
  );
}

/** The SNS and EventBridge clients of one account and region, signing with `credentials`. */
export function alarmClients(
  settings: AwsSettings,
  region: string,
  credentials: AwsSettings['credentials'],
): { sns: SNSClient; events: EventBridgeClient } {
  const config = { ...clientConfig(settings), region, credentials };
  return { sns: new SNSClient(config), events: new EventBridgeClient(config) };
}

/** The alarm port over those clients. */
export function alarmClient({ sns, events }: { sns: SNSClient; events: EventBridgeClient }): AlarmPort {
  const describeTargets = async (rule: string) => {
    const out = await events.send(new ListTargetsByRuleCommand({ Rule: rule }));
    return (out.Targets ?? []).map((t) => ({ id: t.Id ?? '', arn: t.Arn ?? '' }));
  };
  return {
    async topicAttributes(topicArn) {
      try {
        const out = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
        return { ...(out.Attributes ?? {}) };
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    async createTopic(name, policy, tags) {
      const out = await sns.send(
        new CreateTopicCommand({
          Name: name,
          Attributes: { Policy: policy },
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      return out.TopicArn ?? '';
    },
    deleteTopic: async (topicArn) => void (await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }))),
    async describeRule(name): Promise<RuleFacts | null> {
      try {
        const rule = await events.send(new DescribeRuleCommand({ Name: name }));
        return {
          arn: rule.Arn ?? '',
          pattern: rule.EventPattern ?? null,
          state: rule.State ?? '',
          targets: await describeTargets(name),
        };
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    async listRules() {
      const out: { name: string; pattern: string | null; state: string }[] = [];
      let token: string | undefined;
      do {
        const page = await events.send(new ListRulesCommand(token ? { NextToken: token } : {}));
        for (const r of page.Rules ?? [])
          out.push({ name: r.Name ?? '', pattern: r.EventPattern ?? null, state: r.State ?? '' });
        token = page.NextToken;
      } while (token);
      return out;
    },
    async putRule(input) {
      const out = await events.send(
        new PutRuleCommand({
          Name: input.name,
          EventPattern: input.pattern,
          State: input.state as RuleState,
          Description: input.description,
        }),
      );
      return out.RuleArn ?? '';
    },
    deleteRule: async (name) => void (await events.send(new DeleteRuleCommand({ Name: name }))),
    async putTarget(rule, targetId, arn) {
      const out = await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: targetId, Arn: arn }] }));
      const failed = out.FailedEntries?.[0];
      if ((out.FailedEntryCount ?? 0) > 0 && failed) {
        const error = new Error(failed.ErrorMessage ?? 'PutTargets failed');
        error.name = failed.ErrorCode ?? 'PutTargetsFailed';
        throw error;
      }
    },
    async removeTarget(rule, targetId) {
      try {
        await events.send(new RemoveTargetsCommand({ Rule: rule, Ids: [targetId] }));
      } catch (e) {
        if (!notFound(e)) throw e;
      }
    },
  };
}
