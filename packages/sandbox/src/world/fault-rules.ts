/**
 * Scoped fault rules: "the next N calls of this operation in this account fail this way". Tests and the
 * `sandbox up --fault` flag use them to make one read fail while every other call works, the way a denied
 * permission, an SCP or an overloaded endpoint shows up on real AWS and Graph.
 */

/** How a matching call fails: a named AWS/Graph error code, an HTML 503 page, a reset connection, or no answer. */
export type FaultEffect = 'html503' | 'reset' | 'timeout' | { code: string; status?: number };

/** A rule as posted to `/_sandbox/faults/rules` (or written as `--fault`). */
export type FaultRuleInput = {
  /** Signing name of the AWS service (iam, sts, organizations, sso, identitystore, cloudtrail), or `graph`. */
  service: string;
  /** The AWS action (ListServiceSpecificCredentials) or, for graph, the first path segment (users); `*` for any. */
  operation: string;
  /** Only calls acting in this account (AWS) or tenant (graph); any when left out. */
  account?: string;
  /** `html503`, `reset`, `timeout`, or an error code (AccessDenied, Throttling, ServiceUnavailable, ...). */
  error: string;
  /** How many matching calls fail; every one when left out. */
  count?: number;
  /** HTTP status for a named error, when the default for that code is not wanted. */
  status?: number;
};

/** A stored rule with how many calls it has failed so far. */
export type FaultRule = Required<Pick<FaultRuleInput, 'service' | 'operation' | 'error'>> & {
  id: number;
  account: string | null;
  count: number | null;
  status: number | null;
  hits: number;
};

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

/** Checks a posted rule; returns what is wrong with it, or the rule's normalized input. */
export function checkFaultRule(input: unknown): { ok: true; rule: FaultRuleInput } | { ok: false; problem: string } {
  if (!input || typeof input !== 'object') return { ok: false, problem: 'a rule is a JSON object' };
  const r = input as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!['service', 'operation', 'account', 'error', 'count', 'status'].includes(key))
      return { ok: false, problem: `unknown field "${key}"` };
  if (typeof r.service !== 'string' || !NAME.test(r.service))
    return { ok: false, problem: 'service names a service (iam, sts, organizations, sso, identitystore, graph, ...)' };
  if (typeof r.operation !== 'string' || (r.operation !== '*' && !NAME.test(r.operation)))
    return { ok: false, problem: 'operation names an operation, or * for any' };
  if (r.account !== undefined && (typeof r.account !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(r.account)))
    return { ok: false, problem: 'account is an account id (or a tenant id for graph)' };
  if (typeof r.error !== 'string' || !NAME.test(r.error))
    return { ok: false, problem: 'error is html503, reset, timeout or an error code' };
  if (r.count !== undefined && (!Number.isInteger(r.count) || (r.count as number) < 1))
    return { ok: false, problem: 'count is a whole number of calls, at least 1' };
  if (
    r.status !== undefined &&
    (!Number.isInteger(r.status) || (r.status as number) < 400 || (r.status as number) > 599)
  )
    return { ok: false, problem: 'status is an HTTP error status (400-599)' };
  return { ok: true, rule: r as FaultRuleInput };
}

/**
 * Parses the `--fault` form `service:operation[:account]=error[xCOUNT]`, e.g.
 * `iam:ListServiceSpecificCredentials=AccessDenied`, `iam:GetCredentialReport:111111111111=html503x3`.
 */
export function parseFaultSpec(spec: string): { ok: true; rule: FaultRuleInput } | { ok: false; problem: string } {
  const m = /^([^:=\s]+):([^:=\s]+)(?::([^:=\s]+))?=([^=\s]+?)(?:x(\d+))?$/.exec(spec);
  if (!m)
    return {
      ok: false,
      problem: `"${spec}" is not service:operation[:account]=error[xCOUNT] (e.g. iam:ListSAMLProviders=AccessDenied)`,
    };
  const [, service, operation, account, error, count] = m;
  return checkFaultRule({
    service,
    operation,
    error,
    ...(account ? { account } : {}),
    ...(count ? { count: Number(count) } : {}),
  });
}

/** The rules of one sandbox, first match wins. */
export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** Adds a checked rule and returns it. */
  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = {
      id: this.nextId++,
      service: input.service.toLowerCase(),
      operation: input.operation,
      account: input.account ?? null,
      error: input.error,
      count: input.count ?? null,
      status: input.status ?? null,
      hits: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  /** Every rule, including spent ones (their `hits` equal their `count`). */
  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The effect for a call, counting it against the first live rule that matches; undefined when none does. */
  take(service: string, operation: string, account: string | undefined): FaultEffect | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.count === null || r.hits < r.count) &&
        r.service === service.toLowerCase() &&
        (r.operation === '*' || r.operation.toLowerCase() === operation.toLowerCase()) &&
        (r.account === null || r.account.toLowerCase() === account?.toLowerCase()),
    );
    if (!rule) return undefined;
    rule.hits++;
    if (rule.error === 'html503' || rule.error === 'reset' || rule.error === 'timeout') return rule.error;
    return rule.status ? { code: rule.error, status: rule.status } : { code: rule.error };
  }
}

/** The HTML page a load balancer in front of an API answers with when the service behind it is down. */
export const HTML_503_PAGE =
  '<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>' +
  '<body><h1>503 Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>\n';
