/**
 * EventBridge state of the sandbox: the rules of each account's default event bus, with their targets. Kept per
 * world (one region, as the rest of the sandbox), created on first use.
 */
import type { World } from '../../world/world.js';

/** A rule's state (API_PutRule: DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS). */
export type RuleState = 'DISABLED' | 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** One target of a rule. */
export type RuleTarget = { Id: string; Arn: string; Input?: string; InputPath?: string; RoleArn?: string };

/** One rule. */
export type EventRule = {
  name: string;
  arn: string;
  accountId: string;
  eventPattern: string | null;
  scheduleExpression: string | null;
  state: RuleState;
  description: string | null;
  targets: RuleTarget[];
  tags: { Key: string; Value: string }[];
};

const states = new WeakMap<World, Map<string, EventRule>>();

/** The world's rules, by `account/name`. */
export function eventRulesOf(world: World): Map<string, EventRule> {
  let rules = states.get(world);
  if (!rules) {
    rules = new Map();
    states.set(world, rules);
  }
  return rules;
}

/** The key of a rule in the world's map. */
export function ruleKey(accountId: string, name: string): string {
  return `${accountId}/${name}`;
}
