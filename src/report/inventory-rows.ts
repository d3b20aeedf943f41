/**
 * The inventory: one row per IAM user with the columns the seed guide asks admins to fill by hand (user,
 * account, category, confidence, policies, groups, console, MFA, keys and last use, findings, notes).
 * Pure: built from a stored audit run.
 */

import type { Category, Confidence } from '../core/model.js';
import type { AuditRun } from '../store/audit-repo.js';

export type InventoryKey = {
  id: string;
  status: 'Active' | 'Inactive';
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
};

export type InventoryRow = {
  accountId: string;
  accountName: string;
  userName: string;
  arn: string;
  category: Category;
  confidence: Confidence;
  decidedBy: string;
  evidence: string[];
  /** Finding ids. */
  findings: string[];
  consoleEnabled: boolean;
  passwordLastUsed: string | null;
  mfa: boolean;
  mfaDevices: string[];
  accessKeys: InventoryKey[];
  /** Managed policy names attached to the user, then `inline:<name>` for inline policies. */
  policies: string[];
  /** Policies the user gets through groups, as `<group>/<policy>`. */
  groupPolicies: string[];
  groups: string[];
  permissionsBoundary: string | null;
  tags: Record<string, string>;
  notes: string[];
  /** Fields that could not be read (their values in this row are not data). */
  unknown: string[];
};

/** An account of the run that was not read completely, with one line per failed read. */
export type UnreadAccount = { accountId: string; name: string; status: 'partial' | 'unreachable'; reads: string[] };

/** The accounts of a run that were not read completely (empty when the run read everything). */
export function unreadAccounts(run: AuditRun): UnreadAccount[] {
  return run.snapshot.accounts.flatMap((a): UnreadAccount[] => {
    if (a.status === 'ok') return [];
    const reads =
      a.status === 'unreachable'
        ? [a.error ?? 'not audited']
        : (a.unread ?? []).map((u) => `${u.message}; unknown: ${u.affects}`);
    return [{ accountId: a.accountId, name: a.name, status: a.status, reads }];
  });
}

/** Builds the rows, ordered by account then user. */
export function buildInventoryRows(run: AuditRun): InventoryRow[] {
  const classes = new Map(run.classifications.map((c) => [`${c.accountId}/${c.userName}`, c]));
  const findings = new Map<string, string[]>();
  for (const f of run.findings) {
    if (!f.userName) continue;
    const k = `${f.accountId}/${f.userName}`;
    findings.set(k, [...(findings.get(k) ?? []), f.id]);
  }
  const rows: InventoryRow[] = [];
  for (const account of run.snapshot.accounts) {
    const groups = new Map(account.groups.map((g) => [g.name, g]));
    for (const u of account.users) {
      const k = `${u.accountId}/${u.userName}`;
      const c = classes.get(k);
      const notes: string[] = [];
      if (c?.confidence === 'low') notes.push('review the category: the rules could not decide');
      if (u.signingCertificates.length) notes.push(`${u.signingCertificates.length} signing certificate(s)`);
      if (u.sshPublicKeys.length) notes.push(`${u.sshPublicKeys.length} SSH public key(s)`);
      for (const s of u.serviceSpecificCredentials) notes.push(`${s.serviceName} credential (${s.status})`);
      if (u.permissionsBoundary) notes.push(`permissions boundary ${u.permissionsBoundary.split('/').pop()}`);
      if (u.unknown?.length) notes.push(`not read: ${u.unknown.join(', ')}`);
      rows.push({
        accountId: u.accountId,
        accountName: account.alias ?? account.name,
        userName: u.userName,
        arn: u.arn,
        category: c?.category ?? 'stale',
        confidence: c?.confidence ?? 'low',
        decidedBy: c?.decidedBy ?? 'unclassified',
        evidence: c?.evidence ?? [],
        findings: findings.get(k) ?? [],
        consoleEnabled: u.consoleEnabled,
        passwordLastUsed: u.passwordLastUsed,
        mfa: u.mfaDevices.length > 0,
        mfaDevices: u.mfaDevices,
        accessKeys: u.accessKeys.map((key) => ({
          id: key.id,
          status: key.status,
          createdAt: key.createdAt,
          lastUsedAt: key.lastUsedAt,
          lastUsedService: key.lastUsedService,
          lastUsedRegion: key.lastUsedRegion,
        })),
        policies: [...u.attachedPolicies.map((p) => p.name), ...u.inlinePolicies.map((p) => `inline:${p.name}`)],
        groupPolicies: u.groups.flatMap((g) => {
          const group = groups.get(g);
          if (!group) return [];
          return [
            ...group.attachedPolicies.map((p) => `${g}/${p.name}`),
            ...group.inlinePolicies.map((p) => `${g}/inline:${p.name}`),
          ];
        }),
        groups: u.groups,
        permissionsBoundary: u.permissionsBoundary,
        tags: u.tags,
        notes,
        unknown: u.unknown ?? [],
      });
    }
  }
  return rows;
}

/** One key as a cell: `AKIA... Active, created 2024-01-02, last used 2025-05-30 (s3)`. */
export function describeKey(k: InventoryKey): string {
  const used = k.lastUsedAt
    ? `last used ${k.lastUsedAt.slice(0, 10)}${k.lastUsedService ? ` (${k.lastUsedService})` : ''}`
    : 'never used';
  return `${k.id} ${k.status}, created ${k.createdAt.slice(0, 10)}, ${used}`;
}

/** The flat spreadsheet columns (CSV and XLSX share them). */
export const SHEET_COLUMNS = [
  'User',
  'Account',
  'Account name',
  'Category',
  'Confidence',
  'Policies',
  'Group policies',
  'Groups',
  'Console',
  'Password last used',
  'MFA',
  'Access keys',
  'Findings',
  'Notes',
  'Evidence',
  'ARN',
] as const;

/** A row as the spreadsheet's cells, in SHEET_COLUMNS order. */
export function sheetCells(r: InventoryRow): string[] {
  return [
    r.userName,
    r.accountId,
    r.accountName,
    r.category,
    r.confidence,
    r.policies.join('; '),
    r.groupPolicies.join('; '),
    r.groups.join('; '),
    r.consoleEnabled ? 'yes' : 'no',
    r.passwordLastUsed?.slice(0, 10) ?? (r.consoleEnabled ? 'never' : ''),
    r.mfa ? 'yes' : 'no',
    r.accessKeys.map(describeKey).join('\n'),
    [...new Set(r.findings.map((f) => f.split(':')[0]))].join('; '),
    r.notes.join('; '),
    r.evidence.join('; '),
    r.arn,
  ];
}
