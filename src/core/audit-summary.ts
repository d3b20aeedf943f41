/** Counts for the end of an audit: per account, per category, per finding kind and severity. Pure. */
import type {
  AccountReadStatus,
  AuditSnapshot,
  Category,
  Classification,
  Finding,
  FindingKind,
  Severity,
  UnreadItem,
} from './model.js';

export type AccountSummary = {
  id: string;
  name: string;
  status: AccountReadStatus;
  users: number;
  error?: string;
  /** The reads that failed in a partial account. */
  unread?: UnreadItem[];
};

export type AuditSummary = {
  accounts: AccountSummary[];
  users: number;
  byCategory: Record<Category, number>;
  /** Users classified with low confidence: the ones a person should look at. */
  lowConfidence: number;
  findings: { total: number; bySeverity: Record<Severity, number>; byKind: Partial<Record<FindingKind, number>> };
};

/** Summarizes one audit run. */
export function summarizeAudit(
  snapshot: AuditSnapshot,
  classifications: Classification[],
  findings: Finding[],
): AuditSummary {
  const byCategory: Record<Category, number> = {
    'human-console': 0,
    'human-programmatic': 0,
    service: 0,
    'break-glass': 0,
    stale: 0,
  };
  for (const c of classifications) byCategory[c.category] += 1;
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  const byKind: Partial<Record<FindingKind, number>> = {};
  for (const f of findings) {
    bySeverity[f.severity] += 1;
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  }
  return {
    accounts: snapshot.accounts.map((a) => ({
      id: a.accountId,
      name: a.name,
      status: a.status,
      users: a.users.length,
      ...(a.error ? { error: a.error } : {}),
      ...(a.unread?.length ? { unread: a.unread } : {}),
    })),
    users: snapshot.accounts.reduce((n, a) => n + a.users.length, 0),
    byCategory,
    lowConfidence: classifications.filter((c) => c.confidence === 'low').length,
    findings: { total: findings.length, bySeverity, byKind },
  };
}
