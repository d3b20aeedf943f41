/** Whether a policy document grants full administrator access (`*` actions on `*` resources). */

export const ADMINISTRATOR_ACCESS_ARN_SUFFIX = ':iam::aws:policy/AdministratorAccess';

type Statement = { Effect?: string; Action?: unknown; NotAction?: unknown; Resource?: unknown; Condition?: unknown };

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** True when the AWS managed AdministratorAccess policy is meant, in any partition. */
export function isAdministratorAccessArn(arn: string): boolean {
  return arn.endsWith(ADMINISTRATOR_ACCESS_ARN_SUFFIX);
}

/**
 * True when some unconditioned Allow statement grants every action (`*` or `*:*`) on every resource.
 * Unparseable documents are not admin (they are reported elsewhere); conditioned grants are left to review.
 */
export function grantsFullAdmin(document: string): boolean {
  let parsed: { Statement?: Statement | Statement[] };
  try {
    parsed = JSON.parse(document);
  } catch {
    return false;
  }
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Condition === undefined &&
      list(s.Action).some((a) => a === '*' || a === '*:*') &&
      list(s.Resource).includes('*'),
  );
}
