/**
 * EventBridge over JSON 1.1 (signing name events, `X-Amz-Target: AWSEvents.<Op>`), the default event bus only:
 * PutRule, DescribeRule, ListRules, DeleteRule, PutTargets, ListTargetsByRule, RemoveTargets. Shapes and errors
 * from the EventBridge API Reference (docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html,
 * API_DescribeRule.html, API_ListRules.html, API_DeleteRule.html, API_PutTargets.html, API_ListTargetsByRule.html,
 * API_RemoveTargets.html, API_Rule.html: name `[\.\-_A-Za-z0-9]+` of 1-64, pattern of at most 4096 characters;
 * PutTargets and RemoveTargets answer FailedEntryCount and FailedEntries).
 */
import type { AwsContext, JsonService } from '../context.js';
import { AwsError, validationException } from '../errors.js';
import { checkPattern } from './pattern.js';
import { type EventRule, eventRulesOf, type RuleState, type RuleTarget, ruleKey } from './state.js';

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
const STATES: RuleState[] = ['DISABLED', 'ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];
const BUS = 'default';

type Input = Record<string, unknown>;

function checkBus(input: Input): void {
  const bus = input.EventBusName;
  if (bus !== undefined && bus !== BUS && !String(bus).endsWith(':event-bus/default'))
    throw new AwsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
}

function ruleName(input: Input, field = 'Name'): string {
  const name = input[field];
  if (typeof name !== 'string' || !RULE_NAME.test(name))
    throw validationException(
      `1 validation error detected: Value '${name ?? 'null'}' at '${field.toLowerCase()}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`,
    );
  return name;
}

function requireRule(ctx: AwsContext, name: string): EventRule {
  const rule = eventRulesOf(ctx.world).get(ruleKey(ctx.caller.accountId, name));
  if (!rule) throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${BUS}.`);
  return rule;
}

function describe(rule: EventRule) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.eventPattern ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression ? { ScheduleExpression: rule.scheduleExpression } : {}),
    State: rule.state,
    ...(rule.description ? { Description: rule.description } : {}),
    EventBusName: BUS,
  };
}

function putRule(ctx: AwsContext, input: Input) {
  checkBus(input);
  const name = ruleName(input);
  const pattern = input.EventPattern === undefined ? null : String(input.EventPattern);
  const schedule = input.ScheduleExpression === undefined ? null : String(input.ScheduleExpression);
  if (!pattern && !schedule)
    throw validationException('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (pattern !== null) {
    if (pattern.length > 4096) throw validationException('Event pattern is longer than 4096 characters.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(pattern);
    } catch {
      throw new AwsError('InvalidEventPatternException', 'Event pattern is not valid. Reason: not JSON');
    }
    const problem = checkPattern(parsed);
    if (problem) throw new AwsError('InvalidEventPatternException', problem);
  }
  const state = (input.State ?? 'ENABLED') as RuleState;
  if (!STATES.includes(state))
    throw validationException(
      `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${STATES.join(', ')}]`,
    );
  const rules = eventRulesOf(ctx.world);
  const key = ruleKey(ctx.caller.accountId, name);
  const arn = `arn:aws:events:${ctx.region}:${ctx.caller.accountId}:rule/${name}`;
  const existing = rules.get(key);
  // PutRule replaces the rule's settings; its targets stay (API_PutRule).
  rules.set(key, {
    name,
    arn,
    accountId: ctx.caller.accountId,
    eventPattern: pattern,
    scheduleExpression: schedule,
    state,
    description: typeof input.Description === 'string' ? input.Description : null,
    targets: existing?.targets ?? [],
    tags: existing?.tags ?? ((input.Tags as EventRule['tags']) || []),
  });
  return { RuleArn: arn };
}

function putTargets(ctx: AwsContext, input: Input) {
  checkBus(input);
  const rule = requireRule(ctx, ruleName(input, 'Rule'));
  const targets = (Array.isArray(input.Targets) ? input.Targets : []) as RuleTarget[];
  if (targets.length === 0 || targets.length > 10)
    throw validationException(
      "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1",
    );
  const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const t of targets) {
    if (typeof t.Id !== 'string' || !TARGET_ID.test(t.Id) || typeof t.Arn !== 'string' || !t.Arn.startsWith('arn:')) {
      failed.push({ TargetId: String(t.Id), ErrorCode: 'ValidationException', ErrorMessage: 'Invalid target.' });
      continue;
    }
    const at = rule.targets.findIndex((x) => x.Id === t.Id);
    const target: RuleTarget = { Id: t.Id, Arn: t.Arn };
    if (t.Input !== undefined) target.Input = t.Input;
    if (t.RoleArn !== undefined) target.RoleArn = t.RoleArn;
    if (at >= 0) rule.targets[at] = target;
    else if (rule.targets.length >= 5)
      failed.push({ TargetId: t.Id, ErrorCode: 'LimitExceededException', ErrorMessage: 'Too many targets.' });
    else rule.targets.push(target);
  }
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

/** The EventBridge service table for the AWS route. */
export const eventBridgeService: JsonService = {
  service: 'events',
  targetPrefix: 'AWSEvents',
  eventSource: 'events.amazonaws.com',
  handlers: {
    PutRule: putRule,
    PutTargets: putTargets,
    DescribeRule: (ctx, input: Input) => {
      checkBus(input);
      const rule = requireRule(ctx, ruleName(input));
      return { ...describe(rule), CreatedBy: rule.accountId };
    },
    ListRules: (ctx, input: Input) => {
      checkBus(input);
      const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
      const rules = [...eventRulesOf(ctx.world).values()]
        .filter((r) => r.accountId === ctx.caller.accountId && r.name.startsWith(prefix))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      return { Rules: rules.map(describe) };
    },
    DeleteRule: (ctx, input: Input) => {
      checkBus(input);
      const name = ruleName(input);
      const rules = eventRulesOf(ctx.world);
      const rule = rules.get(ruleKey(ctx.caller.accountId, name));
      // Deleting a rule that does not exist succeeds; one with targets is refused (API_DeleteRule).
      if (!rule) return {};
      if (rule.targets.length > 0) throw validationException("Rule can't be deleted since it has targets.");
      rules.delete(ruleKey(ctx.caller.accountId, name));
      return {};
    },
    ListTargetsByRule: (ctx, input: Input) => {
      checkBus(input);
      return { Targets: requireRule(ctx, ruleName(input, 'Rule')).targets };
    },
    RemoveTargets: (ctx, input: Input) => {
      checkBus(input);
      const rule = requireRule(ctx, ruleName(input, 'Rule'));
      const ids = (Array.isArray(input.Ids) ? input.Ids : []).map(String);
      rule.targets = rule.targets.filter((t) => !ids.includes(t.Id));
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
  },
};
