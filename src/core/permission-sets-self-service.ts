/**
 * IAM self-service statements: what lets an IAM user manage its own password, access keys, MFA devices, SSH
 * keys, signing certificates and service-specific credentials (`iam:ChangePassword` on
 * `user/${aws:username}`, the AWS managed IAMUserChangePassword, ...). In a permission set there is no IAM user
 * behind the session, so they mean nothing: they are dropped, with a note, before bundles and parity are made.
 */
import type { PolicySource, UserPolicies } from './permission-sets-sources.js';

/** IAM actions that act only on the caller's own credentials when scoped to `${aws:username}`. */
const SELF_ACTIONS =
  /^iam:(ChangePassword|(Create|Delete|Update|List)AccessKeys?|GetAccessKeyLastUsed|(Create|Delete)VirtualMFADevice|(Enable|Deactivate|Resync)MFADevice|ListMFADevices|(Get|Create|Update|Delete)LoginProfile|(Upload|Delete|Update|Get|List)SSHPublicKeys?|(Upload|Delete|Update|List)SigningCertificates?|(Create|Delete|Update|Reset|List)ServiceSpecificCredentials?|GetUser|ListUserTags)$/i;

/** Account-wide reads that self-service policies grant on `*` so the console pages work. */
const ACCOUNT_READS = /^iam:(GetAccountPasswordPolicy|ListVirtualMFADevices|GetAccountSummary)$/i;

/** An IAM user or MFA device ARN that names only the caller (`${aws:username}`). */
const OWN_RESOURCE = /^arn:[^:]+:iam::[^:]*:(user|mfa)\/(?:[^$]*\/)?\$\{aws:username\}$/;

/** Removes self-service statements from a user's policies (see withoutSelfService), caching per document text. */
export type SelfServiceFilter = (policies: UserPolicies) => { policies: UserPolicies; notes: string[] };

/** A filter with its own cache: documents shared by thousands of users are parsed once. */
export function createSelfServiceFilter(): SelfServiceFilter {
  const cache = new Map<string, ReturnType<typeof stripDocument>>();
  const strip = (text: string) => {
    if (!cache.has(text)) cache.set(text, stripDocument(text));
    return cache.get(text) ?? null;
  };
  return (policies) => withoutSelfService(policies, strip);
}

/** The user's policies without self-service statements, and a note per policy that lost some. */
export function withoutSelfService(
  policies: UserPolicies,
  strip: (text: string) => ReturnType<typeof stripDocument> = stripDocument,
): { policies: UserPolicies; notes: string[] } {
  const notes: string[] = [];
  const sources: PolicySource[] = [];
  for (const s of policies.sources) {
    const stripped = s.document ? strip(s.document) : null;
    if (!stripped || stripped.dropped === 0) {
      sources.push(s);
      continue;
    }
    const label = `${s.kind === 'inline' ? 'inline ' : ''}${s.name}${s.via === 'user' ? '' : ` (${s.via})`}`;
    if (stripped.document === null) {
      notes.push(
        `dropped ${label}: it only manages the IAM user's own credentials, which a permission set has none of`,
      );
      continue;
    }
    if (s.kind === 'aws-managed') {
      // An AWS managed policy is attached whole; it keeps its self-service statements.
      sources.push(s);
      continue;
    }
    notes.push(`dropped ${stripped.dropped} self-service statement(s) from ${label} (the IAM user's own credentials)`);
    sources.push({ ...s, document: stripped.document });
  }
  return { policies: { ...policies, sources }, notes };
}

/** The document without its self-service statements (null when nothing is left), and how many were dropped. */
export function stripDocument(text: string): { document: string | null; dropped: number } | null {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null) return null;
  const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  // Account-wide reads (the password policy for the change-password page) go only with the statements they serve.
  const own = list.some((s) => isSelfService(s) && !isAccountRead(s));
  const kept = list.filter((s) => !isSelfService(s) || (!own && isAccountRead(s)));
  const dropped = list.length - kept.length;
  if (dropped === 0) return { document: text, dropped: 0 };
  return { document: kept.length > 0 ? JSON.stringify({ ...doc, Statement: kept }) : null, dropped };
}

/** An Allow statement whose every action is self-service and whose every resource is the caller's own. */
export function isSelfService(statement: unknown): boolean {
  if (typeof statement !== 'object' || statement === null) return false;
  const s = statement as Record<string, unknown>;
  if (s.Effect !== 'Allow' || s.NotAction !== undefined || s.NotResource !== undefined || s.Condition !== undefined)
    return false;
  const actions = strings(s.Action);
  const resources = strings(s.Resource);
  if (actions.length === 0 || resources.length === 0) return false;
  if (actions.every((a) => ACCOUNT_READS.test(a))) return resources.every((r) => r === '*');
  return actions.every((a) => SELF_ACTIONS.test(a)) && resources.every((r) => OWN_RESOURCE.test(r));
}

function isAccountRead(statement: unknown): boolean {
  const actions = strings((statement as Record<string, unknown>).Action);
  return actions.length > 0 && actions.every((a) => ACCOUNT_READS.test(a));
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : [];
}
