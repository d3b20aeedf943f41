/** IAM's input rules: names, paths, tags and policy documents, with the errors IAM raises for them. */
import { AwsError, validationError } from '../errors.js';

const NAME_RE = /^[\w+=,.@-]+$/;
const PATH_RE = /^(\/|\/[\u0021-\u007e]+\/)$/;
/** Inline policy names: printable ASCII without the RFC 3986 reserved ones IAM refuses. */
const INLINE_NAME_RE = /^[\w+=,.@-]+$/;

function constraint(value: string, member: string, rule: string): AwsError {
  return validationError(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`,
  );
}

/** A name made of `[\w+=,.@-]` with IAM's length bounds for that kind of entity. */
export function checkName(value: string, member: string, max: number): string {
  if (value.length < 1 || value.length > max)
    throw constraint(value, member, `Member must have length less than or equal to ${max}`);
  if (!NAME_RE.test(value))
    throw constraint(value, member, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return value;
}

/** User names: 1-64 characters. */
export function checkUserName(value: string): string {
  return checkName(value, 'userName', 64);
}

/** Group names: 1-128 characters. */
export function checkGroupName(value: string): string {
  return checkName(value, 'groupName', 128);
}

/** Role names: 1-64 characters. */
export function checkRoleName(value: string): string {
  return checkName(value, 'roleName', 64);
}

/** Managed and inline policy names: 1-128 characters. */
export function checkPolicyName(value: string): string {
  if (!INLINE_NAME_RE.test(value) || value.length > 128)
    throw constraint(value, 'policyName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return value;
}

/** Paths: `/` or `/a/b/`, printable ASCII, at most 512 characters. */
export function checkPath(value: string | undefined, member = 'path'): string {
  if (value === undefined || value === '') return '/';
  if (value.length > 512 || !PATH_RE.test(value))
    throw constraint(
      value,
      member,
      'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  return value;
}

/** Path prefixes of the List calls: `/` followed by printable ASCII. */
export function checkPathPrefix(value: string | undefined): string {
  if (value === undefined || value === '') return '/';
  if (value.length > 512 || !/^\/[\u0021-\u007e]*$/.test(value))
    throw constraint(value, 'pathPrefix', 'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*');
  return value;
}

/** Tags: at most 50, keys 1-128, values 0-256, no duplicate keys. */
export function checkTags(tags: { key: string; value: string }[], existing = 0): void {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.key.length < 1 || t.key.length > 128)
      throw constraint(t.key, 'tags.member.key', 'Member must have length less than or equal to 128');
    if (t.value.length > 256)
      throw constraint(t.value, 'tags.member.value', 'Member must have length less than or equal to 256');
    if (seen.has(t.key.toLowerCase()))
      throw new AwsError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(t.key.toLowerCase());
  }
  if (tags.length + existing > 50)
    throw new AwsError('LimitExceeded', 'The number of tags has reached the maximum limit.', 409);
}

/** How IAM measures a policy against its size quotas: characters other than white space. */
export function policySize(document: string): number {
  let n = 0;
  for (let i = 0; i < document.length; i++) {
    const c = document.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) n++;
  }
  return n;
}

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', message, 400);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * Checks a policy document the way IAM does before storing it: JSON, a known Version, statements with
 * Effect, an action and (for identity policies) a resource, or (for trust policies) a principal.
 */
export function checkPolicyDocument(text: string, kind: 'identity' | 'trust' = 'identity'): void {
  if (!/^[\t\n\r\u0020-\u00ff]*$/.test(text)) throw malformed('Syntax errors in policy.');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('Syntax errors in policy.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('Syntax errors in policy.');
  const policy = doc as Record<string, unknown>;
  const version = policy.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17')
    throw malformed('The policy failed legacy parsing');
  if (policy.Statement === undefined) throw malformed('Syntax errors in policy.');
  const statements = asList(policy.Statement);
  if (statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const s of statements) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw malformed('Syntax errors in policy.');
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed('Syntax errors in policy.');
    if (st.Action === undefined && st.NotAction === undefined)
      throw malformed('Policy statement must contain actions.');
    if (kind === 'identity') {
      if (st.Resource === undefined && st.NotResource === undefined)
        throw malformed('Policy statement must contain resources.');
      if (st.Principal !== undefined || st.NotPrincipal !== undefined)
        throw malformed('Policy document should not specify a principal.');
    } else if (st.Principal === undefined && st.NotPrincipal === undefined) {
      throw malformed('AssumeRolepolicy contained an invalid principal element');
    }
  }
}
