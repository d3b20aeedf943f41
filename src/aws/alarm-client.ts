/**
 * The alarm port (SNS topics, EventBridge rules on the default bus) over signed calls (src/aws/signed-call.ts).
 * SNS's CreateTopic and EventBridge's PutRule return an existing object of the same name: the performer reads
 * first, so a name taken by something the tool did not make is refused before the call. Deletes of what is already
 * gone succeed (SNS DeleteTopic and EventBridge DeleteRule already answer success for them).
 * Wire shapes: SNS API Reference (API_CreateTopic, API_GetTopicAttributes, API_DeleteTopic), EventBridge API
 * Reference (API_PutRule, API_DescribeRule, API_ListRules, API_DeleteRule, API_PutTargets, API_ListTargetsByRule,
 * API_RemoveTargets).
 */
import type { AlarmPort, RuleFacts } from '../iam-changes/ports.js';
import { AwsCallError, eventsCall, type SignedTarget, snsCall } from './signed-call.js';

type Entries = { entry?: { key: string; value: string }[] };

const notFound = (e: unknown) => /NotFound|ResourceNotFoundException/.test((e as Error).name);

/** The alarm port in one account and region. */
export function alarmClient(target: SignedTarget): AlarmPort {
  const describeTargets = async (rule: string) => {
    const out = await eventsCall<{ Targets?: { Id: string; Arn: string }[] }>(target, 'ListTargetsByRule', {
      Rule: rule,
    });
    return (out.Targets ?? []).map((t) => ({ id: t.Id, arn: t.Arn }));
  };
  return {
    async topicAttributes(topicArn) {
      try {
        const out = await snsCall(target, 'GetTopicAttributes', { TopicArn: topicArn });
        const entries = (out.Attributes as Entries | undefined)?.entry ?? [];
        return Object.fromEntries(entries.map((e) => [e.key, String(e.value ?? '')]));
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    async createTopic(name, policy, tags) {
      const params: Record<string, string> = {
        Name: name,
        'Attributes.entry.1.key': 'Policy',
        'Attributes.entry.1.value': policy,
      };
      Object.entries(tags).forEach(([k, v], i) => {
        params[`Tags.member.${i + 1}.Key`] = k;
        params[`Tags.member.${i + 1}.Value`] = v;
      });
      const out = await snsCall(target, 'CreateTopic', params);
      return String(out.TopicArn ?? '');
    },
    deleteTopic: async (topicArn) => void (await snsCall(target, 'DeleteTopic', { TopicArn: topicArn })),
    async describeRule(name): Promise<RuleFacts | null> {
      try {
        const rule = await eventsCall<{ Arn: string; EventPattern?: string; State: string }>(target, 'DescribeRule', {
          Name: name,
        });
        return {
          arn: rule.Arn,
          pattern: rule.EventPattern ?? null,
          state: rule.State,
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
        const page = await eventsCall<{
          Rules?: { Name: string; EventPattern?: string; State: string }[];
          NextToken?: string;
        }>(target, 'ListRules', token ? { NextToken: token } : {});
        for (const r of page.Rules ?? []) out.push({ name: r.Name, pattern: r.EventPattern ?? null, state: r.State });
        token = page.NextToken;
      } while (token);
      return out;
    },
    async putRule(input) {
      const out = await eventsCall<{ RuleArn: string }>(target, 'PutRule', {
        Name: input.name,
        EventPattern: input.pattern,
        State: input.state,
        Description: input.description,
      });
      return out.RuleArn;
    },
    deleteRule: async (name) => void (await eventsCall(target, 'DeleteRule', { Name: name })),
    async putTarget(rule, targetId, arn) {
      const out = await eventsCall<{
        FailedEntryCount: number;
        FailedEntries?: { ErrorCode: string; ErrorMessage: string }[];
      }>(target, 'PutTargets', { Rule: rule, Targets: [{ Id: targetId, Arn: arn }] });
      const failed = out.FailedEntries?.[0];
      if (out.FailedEntryCount > 0 && failed) throw new AwsCallError(failed.ErrorCode, failed.ErrorMessage, 400);
    },
    async removeTarget(rule, targetId) {
      try {
        await eventsCall(target, 'RemoveTargets', { Rule: rule, Ids: [targetId] });
      } catch (e) {
        if (!notFound(e)) throw e;
      }
    },
  };
}
