/**
 * Evaluates a role's trust policy (its AssumeRolePolicyDocument) for an `sts:AssumeRole` request, as far as
 * the sandbox needs: AWS principals (account id, account root ARN, user, role or assumed-role ARN, "*"),
 * Action / NotAction with wildcards, explicit Deny, and the common conditions. An Allow whose condition the
 * sandbox cannot evaluate does not grant; a Deny whose condition it cannot evaluate does not deny.
 */

/** Who is asking, as trust policies can name them. */
export type TrustRequester = {
  accountId: string;
  /** The IAM user ARN, the assumed-role ARN (arn:aws:sts::...) or the root ARN. */
  arn: string;
  /** For role sessions, the role's own ARN (trust policies name roles by it). */
  roleArn?: string;
  externalId?: string;
  mfaPresent: boolean;
  /** An AWS service acting for itself (`ec2.amazonaws.com`): matches `Principal.Service`. */
  service?: string;
  /** A web identity federation: the OIDC provider's ARN (matches `Principal.Federated`) and the token's claims. */
  federated?: { providerArn: string; claims: Record<string, string> };
};

type Statement = {
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};

/** Parses a trust policy as IAM stores it (JSON, possibly URL-encoded); undefined when it is not a policy. */
export function parseTrustPolicy(document: string): Statement[] | undefined {
  for (const text of [document, safeDecode(document)]) {
    try {
      const parsed = JSON.parse(text) as { Statement?: Statement | Statement[] };
      if (parsed && typeof parsed === 'object' && parsed.Statement) {
        return Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
      }
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** True when the trust policy lets `requester` call `action` (sts:AssumeRole by default). */
export function trustAllows(document: string, requester: TrustRequester, action = 'sts:AssumeRole'): boolean {
  const statements = parseTrustPolicy(document);
  if (!statements) return false;
  let allowed = false;
  for (const statement of statements) {
    if (!actionMatches(statement, action) || !principalMatches(statement, requester)) continue;
    const condition = conditionResult(statement.Condition, requester);
    if (statement.Effect === 'Deny' && condition === true) return false;
    if (statement.Effect === 'Allow' && condition === true) allowed = true;
  }
  return allowed;
}

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** IAM's `*` and `?` wildcards; actions compare case-insensitively, condition values do not. */
function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return asList(statement.Action).some((a) => wildcard(a, action, true));
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some((a) => wildcard(a, action, true));
  return false;
}

function principalMatches(statement: Statement, requester: TrustRequester): boolean {
  if (statement.Principal !== undefined) return principalListMatches(statement.Principal, requester);
  if (statement.NotPrincipal !== undefined) return !principalListMatches(statement.NotPrincipal, requester);
  return false;
}

function principalListMatches(principal: unknown, requester: TrustRequester): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const named = principal as Record<string, unknown>;
  if (requester.service) return asList(named.Service).includes(requester.service);
  if (requester.federated) return asList(named.Federated).includes(requester.federated.providerArn);
  return asList(named.AWS).some((entry) => awsPrincipalMatches(entry, requester));
}

function awsPrincipalMatches(entry: string, requester: TrustRequester): boolean {
  if (entry === '*') return true;
  if (/^\d{12}$/.test(entry)) return entry === requester.accountId;
  if (entry === `arn:aws:iam::${requester.accountId}:root`) return true;
  return entry === requester.arn || (requester.roleArn !== undefined && entry === requester.roleArn);
}

/** true: the condition holds; false: it does not; undefined: the sandbox cannot tell. */
function conditionResult(condition: Statement['Condition'], requester: TrustRequester): boolean | undefined {
  if (!condition) return true;
  for (const [operator, keys] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(keys ?? {})) {
      const actual = contextValue(key, requester);
      const result = evaluateOperator(operator, actual, asList(expected));
      if (result !== true) return result;
    }
  }
  return true;
}

function contextValue(key: string, requester: TrustRequester): string | undefined | null {
  switch (key.toLowerCase()) {
    case 'sts:externalid':
      return requester.externalId;
    case 'aws:principalaccount':
      return requester.accountId;
    case 'aws:principalarn':
      return requester.roleArn ?? requester.arn;
    case 'aws:multifactorauthpresent':
      return String(requester.mfaPresent);
    default:
      // Web identity keys are `<provider host>:<claim>` (e.g. token.actions.githubusercontent.com:sub).
      return requester.federated?.claims[key.toLowerCase()] ?? null;
  }
}

function evaluateOperator(
  operator: string,
  actual: string | undefined | null,
  expected: string[],
): boolean | undefined {
  if (actual === null) return undefined;
  const ifExists = operator.endsWith('IfExists');
  const op = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (actual === undefined) {
    if (op === 'Null') return expected.includes('true');
    return ifExists ? true : op.startsWith('StringNot') || op === 'ArnNotEquals' || op === 'ArnNotLike';
  }
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.includes(actual);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !expected.includes(actual);
    case 'StringEqualsIgnoreCase':
      return expected.some((e) => e.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return expected.some((e) => wildcard(e, actual));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !expected.some((e) => wildcard(e, actual));
    case 'Bool':
      return expected.some((e) => e.toLowerCase() === actual.toLowerCase());
    case 'Null':
      return expected.includes('false');
    default:
      return undefined;
  }
}
