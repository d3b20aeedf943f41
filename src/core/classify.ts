/**
 * Classification: every IAM user gets exactly one category, a confidence and the evidence that decided it.
 * Pure: the snapshot, the rules and the time come in; nothing is read from outside.
 */
import { type UserFacts, userFacts } from './classify-facts.js';
import type { ClassificationRules } from './classify-rules.js';
import { agentVerdict, groupVerdict, matchesAny, tagVerdict } from './classify-signals.js';
import type { AuditSnapshot, Category, Classification, Confidence, UserRecord } from './model.js';

type Decision = { category: Category; confidence: Confidence; decidedBy: string; evidence: string[] };

/** Classifies every user of every reachable account in the snapshot. */
export function classifySnapshot(snapshot: AuditSnapshot, rules: ClassificationRules, now: Date): Classification[] {
  return snapshot.accounts.flatMap((a) => a.users.map((u) => classifyUser(u, rules, now)));
}

/** Classifies one user. An override wins; otherwise the first rule that decides, with its evidence. */
export function classifyUser(user: UserRecord, rules: ClassificationRules, now: Date): Classification {
  const facts = userFacts(user, now);
  const decision = decide(user, facts, rules);
  const evidence = [...decision.evidence, ...context(user, facts)];
  return {
    accountId: user.accountId,
    userName: user.userName,
    category: decision.category,
    confidence: decision.confidence,
    evidence: [...new Set(evidence)],
    decidedBy: decision.decidedBy,
  };
}

function decide(user: UserRecord, facts: UserFacts, rules: ClassificationRules): Decision {
  const override = rules.overrides.find(
    (o) => o.account === user.accountId && o.user.toLowerCase() === user.userName.toLowerCase(),
  );
  if (override)
    return {
      category: override.category,
      confidence: 'high',
      decidedBy: 'override',
      evidence: [`override in iam2sso.yaml${override.reason ? `: ${override.reason}` : ''}`],
    };
  const tag = tagVerdict(user.tags, rules.tagRules);
  if (tag) return { category: tag.category, confidence: 'high', decidedBy: `tag:${tag.key}`, evidence: [tag.evidence] };
  if (matchesAny(user.userName, rules.breakGlassPatterns)) {
    const guarded = user.consoleEnabled && facts.hasMfa;
    return {
      category: 'break-glass',
      confidence: guarded ? 'high' : 'medium',
      decidedBy: 'break-glass-name',
      evidence: [
        `name "${user.userName}" matches a break-glass pattern`,
        guarded
          ? 'console password with MFA, as an emergency user should have'
          : 'not set up as an emergency user should be (console password with MFA)',
      ],
    };
  }
  const stale = staleDecision(facts, rules.staleAfterDays);
  if (stale) return stale;
  return activeDecision(user, facts, rules);
}

function staleDecision(facts: UserFacts, days: number): Decision | undefined {
  if (!facts.hasCredentials)
    return {
      category: 'stale',
      confidence: 'high',
      decidedBy: 'no-credentials',
      evidence: ['no console password and no active access key: the user cannot sign in or call AWS'],
    };
  if (facts.idleDays < days) return undefined;
  return {
    category: 'stale',
    confidence: 'high',
    decidedBy: 'idle',
    evidence: [
      facts.neverUsed
        ? `credentials never used in the ${facts.ageDays} days since the user was created (threshold ${days})`
        : `no activity for ${facts.idleDays} days (threshold ${days}), last on ${facts.lastActivity?.slice(0, 10)}`,
    ],
  };
}

function activeDecision(user: UserRecord, facts: UserFacts, rules: ClassificationRules): Decision {
  const serviceName = matchesAny(user.userName, rules.servicePatterns);
  const agents = agentVerdict(user.activity?.userAgents ?? [], rules.userAgents);
  const consoleUsed = user.consoleEnabled && facts.lastConsoleUse !== null;
  if (serviceName) {
    const clean = !user.consoleEnabled && !facts.hasMfa && agents.kind !== 'person';
    return {
      category: 'service',
      confidence: clean ? 'high' : 'medium',
      decidedBy: 'service-name',
      evidence: [
        `name "${user.userName}" matches a service-account pattern`,
        ...(clean ? [] : ['but it has signs of a person (console password, MFA or CLI use): review']),
      ],
    };
  }
  if (consoleUsed || (user.activity?.consoleSignIns ?? 0) > 0)
    return {
      category: 'human-console',
      confidence: 'high',
      decidedBy: 'console-use',
      evidence: [`signs in to the console (last ${facts.lastConsoleUse?.slice(0, 10)})`],
    };
  if (agents.kind === 'person' || agents.kind === 'automation')
    return {
      category: agents.kind === 'person' ? 'human-programmatic' : 'service',
      confidence: agents.mixed ? 'medium' : 'high',
      decidedBy: `user-agent:${agents.kind}`,
      evidence: [agents.evidence],
    };
  return weakDecision(user, facts, rules);
}

/** No strong signal: weigh MFA, groups and console setup; say so when nothing decides. */
function weakDecision(user: UserRecord, facts: UserFacts, rules: ClassificationRules): Decision {
  const groups = groupVerdict(user.groups, rules);
  if (user.consoleEnabled && facts.activeKeys === 0)
    return {
      category: 'human-console',
      confidence: 'medium',
      decidedBy: 'console-password',
      evidence: ['has a console password but has not signed in yet (a new user)'],
    };
  if (facts.hasMfa)
    return {
      category: user.consoleEnabled ? 'human-console' : 'human-programmatic',
      confidence: 'medium',
      decidedBy: 'mfa-device',
      evidence: ['has an MFA device, which automation does not use', ...(groups ? [groups.evidence] : [])],
    };
  if (groups)
    return {
      category: groups.human ? (user.consoleEnabled ? 'human-console' : 'human-programmatic') : 'service',
      confidence: 'medium',
      decidedBy: groups.human ? 'human-group' : 'service-group',
      evidence: [groups.evidence],
    };
  return {
    category: user.consoleEnabled ? 'human-console' : 'service',
    confidence: 'low',
    decidedBy: 'undecided',
    evidence: [
      user.consoleEnabled
        ? 'has a console password and keys but no MFA, no telling name, group or user agent: review'
        : 'access keys only, with no MFA, telling name, group or user agent to tell a person from automation: review (audit with --activity to read CloudTrail user agents)',
    ],
  };
}

function context(user: UserRecord, facts: UserFacts): string[] {
  const out: string[] = [];
  if (user.consoleEnabled)
    out.push(
      user.passwordLastUsed ? `password last used ${user.passwordLastUsed.slice(0, 10)}` : 'password never used',
    );
  out.push(facts.hasMfa ? 'MFA device present' : 'no MFA device');
  if (facts.activeKeys > 0)
    out.push(
      `${facts.activeKeys} active access key${facts.activeKeys > 1 ? 's' : ''}, ${facts.lastKeyUse ? `last used ${facts.lastKeyUse.slice(0, 10)}` : 'never used'}`,
    );
  if (user.activity?.userAgents.length) out.push(`user agents: ${user.activity.userAgents.slice(0, 3).join('; ')}`);
  if (user.groups.length) out.push(`groups: ${user.groups.join(', ')}`);
  return out;
}
