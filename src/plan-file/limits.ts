/**
 * What AWS and Entra accept, checked before apply so a plan never stops half-way on a value the cloud refuses.
 * Each check returns the problem in words, or null when the value is fine.
 */

/**
 * An AWS managed policy ARN as Identity Center attaches it (AttachManagedPolicyToPermissionSet and
 * PermissionsBoundary.ManagedPolicyArn take AWS managed policies only): a known partition, `iam::aws:policy/`,
 * an optional path of `[\w+=,.@-]` segments and a 1-128 character name of `[\w+=,.@-]`
 * (https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CustomerManagedPolicyReference.html gives
 * the same name rule; partitions from https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html).
 */
export function managedPolicyArnProblem(arn: unknown): string | null {
  if (typeof arn !== 'string') return `not a managed policy ARN: ${JSON.stringify(arn)}`;
  const m = /^arn:([^:]*):iam::([^:]*):policy\/(.+)$/.exec(arn);
  if (!m) return `not a managed policy ARN: ${JSON.stringify(arn)} (expected arn:PARTITION:iam::aws:policy/NAME)`;
  const [, partition, owner, rest] = m;
  if (!PARTITIONS.includes(partition))
    return `unknown partition "${partition}" in ${arn} (one of ${PARTITIONS.join(', ')})`;
  const segments = rest.split('/');
  if (segments.some((s) => s === '.' || s === '..' || s === ''))
    return `${arn}: a policy path has no empty, "." or ".." segments`;
  if (!segments.every((s) => /^[\w+=,.@-]+$/.test(s)))
    return `${arn}: policy names and paths use only letters, digits and +=,.@_-`;
  if ((segments.at(-1) as string).length > 128) return `${arn}: policy names are at most 128 characters`;
  if (owner !== 'aws') {
    if (/^\d{12}$/.test(owner))
      return `${arn} is a customer managed policy: list it under customerManagedPolicies as {name, path} (Identity Center attaches only AWS managed policies by ARN)`;
    return `${arn}: the account part must be "aws" (AWS managed policy)`;
  }
  return null;
}

/** Partitions Identity Center names in its ARNs. */
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'];

/**
 * A customer managed policy reference: Name 1-128 of `[\w+=,.@-]+`, Path 1-512 matching `((/[A-Za-z0-9.,+@=_-]+)*)/`
 * (https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CustomerManagedPolicyReference.html).
 */
export function customerPolicyProblem(ref: unknown): string | null {
  if (typeof ref !== 'object' || ref === null) return 'needs name and path';
  const { name, path } = ref as { name?: unknown; path?: unknown };
  if (typeof name !== 'string' || !/^[\w+=,.@-]{1,128}$/.test(name))
    return `customer managed policy name ${JSON.stringify(name)} must be 1-128 characters of letters, digits and +=,.@_-`;
  if (typeof path !== 'string' || path.length > 512 || !/^(\/[A-Za-z0-9.,+@=_-]+)*\/$/.test(path))
    return `customer managed policy path ${JSON.stringify(path)} must start and end with / and use only letters, digits and .,+@=_- (at most 512 characters)`;
  if (path.split('/').some((s) => s === '.' || s === '..'))
    return `customer managed policy path ${path} has a "." or ".." segment`;
  return null;
}

/**
 * An Entra group display name as iam2sso creates it: 1-256 characters (Microsoft Graph group displayName,
 * https://learn.microsoft.com/graph/api/group-post-groups), no control characters, no bidirectional
 * formatting characters (they make a name read differently from what it is), no leading or trailing space.
 * The Identity Store takes up to 1,024 characters, so Entra's limit is the binding one.
 */
export function groupNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.trim() === '') return 'group name is required';
  if ([...name].length > 256) return `group name is ${[...name].length} characters; Entra allows at most 256`;
  if (/\p{Cc}/u.test(name)) return 'group name holds a control character (tab, newline, ...)';
  if (BIDI.test(name)) return 'group name holds a bidirectional formatting character (U+200E/F, U+202A-E, U+2066-9)';
  if (name !== name.trim()) return 'group name starts or ends with a space';
  return null;
}

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** A 12-digit AWS account id. */
export function accountIdProblem(id: unknown): string | null {
  return typeof id === 'string' && /^\d{12}$/.test(id)
    ? null
    : `account id ${JSON.stringify(id)} must be exactly 12 digits (quote it in YAML so leading zeros stay)`;
}

/**
 * A permission set session duration: ISO-8601 hours and minutes from PT1H to PT12H (Identity Center's range;
 * the API pattern is https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html).
 */
export function sessionDurationProblem(value: unknown): string | null {
  const m = typeof value === 'string' ? /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(value) : null;
  const minutes = m && (m[1] || m[2]) ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : -1;
  return minutes < 60 || minutes > 720
    ? `session duration ${JSON.stringify(value)} must be an ISO-8601 duration from PT1H to PT12H`
    : null;
}

/** The IAM policy grammar basics a document must meet beyond parsing: version and action shapes. */
export function policyGrammarProblems(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const doc = raw as { Version?: unknown; Statement?: unknown };
  const out: string[] = [];
  // IAM accepts only these two policy language versions (IAM JSON policy reference, "Version").
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17')
    out.push(`Version must be "2012-10-17", not ${JSON.stringify(doc.Version)}`);
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  statements.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) return;
    const st = s as Record<string, unknown>;
    for (const field of ['Action', 'NotAction']) {
      const list = typeof st[field] === 'string' ? [st[field]] : Array.isArray(st[field]) ? st[field] : [];
      for (const a of list as unknown[]) {
        if (typeof a === 'string' && a !== '*' && !/^[a-zA-Z0-9-]+:[\w*?-]+$/.test(a))
          out.push(`statement ${i + 1}: ${field} "${a}" is not service:action`);
      }
    }
  });
  return out;
}
