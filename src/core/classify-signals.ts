/** The weaker signals classification weighs: tags, name patterns, groups and CloudTrail user agents. */
import type { ClassificationRules, TagRule, UserAgentRules } from './classify-rules.js';
import type { Category } from './model.js';

const CATEGORIES: readonly Category[] = ['human-console', 'human-programmatic', 'service', 'break-glass', 'stale'];
const compiled = new Map<string, RegExp>();

function regex(source: string): RegExp {
  let r = compiled.get(source);
  if (!r) {
    r = new RegExp(source, 'i');
    compiled.set(source, r);
  }
  return r;
}

/** True when `value` matches one of the patterns (regular expression sources, case-insensitive). */
export function matchesAny(value: string, patterns: string[]): boolean {
  return patterns.some((p) => regex(p).test(value));
}

/** The category a user's tags decide, if a tag rule matches. */
export function tagVerdict(
  tags: Record<string, string>,
  rules: TagRule[],
): { category: Category; key: string; evidence: string } | undefined {
  const lower = new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  for (const rule of rules) {
    const value = lower.get(rule.key.toLowerCase());
    if (value === undefined) continue;
    if (rule.value !== undefined && rule.value.toLowerCase() !== value.toLowerCase()) continue;
    const category = rule.category ?? CATEGORIES.find((c) => c === value.toLowerCase());
    if (category) return { category, key: rule.key, evidence: `tag ${rule.key}=${value}` };
  }
  return undefined;
}

/** What group names say: members of people's groups or of automation groups. */
export function groupVerdict(
  groups: string[],
  rules: Pick<ClassificationRules, 'humanGroupPatterns' | 'serviceGroupPatterns'>,
): { human: boolean; evidence: string } | undefined {
  const service = groups.filter((g) => matchesAny(g, rules.serviceGroupPatterns));
  const human = groups.filter((g) => !service.includes(g) && matchesAny(g, rules.humanGroupPatterns));
  if (service.length > 0 && human.length === 0)
    return {
      human: false,
      evidence: `member of automation group${service.length > 1 ? 's' : ''} ${service.join(', ')}`,
    };
  if (human.length > 0 && service.length === 0)
    return { human: true, evidence: `member of people's group${human.length > 1 ? 's' : ''} ${human.join(', ')}` };
  return undefined;
}

export type AgentVerdict = { kind: 'person' | 'automation' | 'console' | 'none'; mixed: boolean; evidence: string };

const short = (agent: string) => agent.split(' ')[0];

/**
 * What the user agents seen in CloudTrail say about who uses the keys. The host decides first (a desktop OS
 * is a person's laptop; a cloud kernel or CI runner is automation, even running the AWS CLI); on an unknown
 * host the tool decides (the CLI is a person, an SDK is a program).
 */
export function agentVerdict(agents: string[], rules: UserAgentRules): AgentVerdict {
  const desktop = agents.filter((a) => matchesAny(a, rules.desktop) && !matchesAny(a, rules.console));
  const server = agents.filter((a) => !desktop.includes(a) && matchesAny(a, rules.server));
  const rest = agents.filter((a) => !desktop.includes(a) && !server.includes(a));
  const cli = rest.filter((a) => matchesAny(a, rules.cli));
  const sdk = rest.filter((a) => !cli.includes(a) && matchesAny(a, rules.sdk));
  if (desktop.length > 0)
    return {
      kind: 'person',
      mixed: server.length > 0,
      evidence: `keys used from a desktop OS (${short(desktop[0])} on macOS/Windows)${server.length ? `, and also from servers (${short(server[0])})` : ''}`,
    };
  if (server.length > 0)
    return {
      kind: 'automation',
      mixed: cli.length > 0,
      evidence: `keys used from servers or CI runners (${short(server[0])})${cli.length ? `, and from the AWS CLI elsewhere` : ''}`,
    };
  if (cli.length > 0)
    return { kind: 'person', mixed: sdk.length > 0, evidence: `keys used from the AWS CLI (${short(cli[0])})` };
  if (sdk.length > 0)
    return { kind: 'automation', mixed: false, evidence: `keys used only from SDKs or tools (${short(sdk[0])})` };
  if (agents.some((a) => matchesAny(a, rules.console)))
    return { kind: 'console', mixed: false, evidence: 'seen only in the console' };
  return { kind: 'none', mixed: false, evidence: '' };
}
