/**
 * The migration spreadsheet the seed guide asks admins to build by hand, one row per IAM user: user,
 * category, policies, permission set, Entra group, accounts, notes.
 */
import type { AuditSnapshot } from '../core/model.js';
import type { MigrationPlan } from '../core/plan-types.js';
import { csvText } from './csv.js';

export const SPREADSHEET_COLUMNS = [
  'Username',
  'Account',
  'Category',
  'Policies',
  'Equivalent Permission Set',
  'Target Entra Group',
  'Target AWS Account(s)',
  'UPN',
  'Action',
  'Notes',
] as const;

/** One row per user; policies come from the snapshot the plan was made from, when it is at hand. */
export function spreadsheetRows(plan: MigrationPlan, snapshot: AuditSnapshot | null): string[][] {
  const users = new Map(
    snapshot?.accounts.flatMap((a) => a.users.map((u) => [`${u.accountId}/${u.userName}`, { u, a }])) ?? [],
  );
  const services = new Map(plan.serviceAccounts.map((s) => [`${s.accountId}/${s.userName}`, s]));
  const groupAccounts = new Map(plan.groups.map((g) => [g.name, g.assignments.map((a) => a.accountId)]));
  return plan.users.map((user) => {
    const key = `${user.accountId}/${user.userName}`;
    const found = users.get(key);
    const policies = found
      ? [
          ...found.u.attachedPolicies.map((p) => p.name),
          ...found.u.inlinePolicies.map((p) => `${p.name} (inline)`),
          ...found.u.groups.map((g) => `group ${g}`),
        ].join('; ')
      : '';
    const accounts = [...new Set(user.groups.flatMap((g) => groupAccounts.get(g) ?? []))].sort();
    const notes: string[] = user.review ? [`review: ${user.review}`] : [];
    const sa = services.get(key);
    if (sa) notes.push(`${sa.recommendation}: ${sa.reason}`);
    if (user.action === 'keep') notes.push('kept as IAM user');
    if (user.action === 'decommission') notes.push('decommission');
    if (user.action === 'skip') notes.push('left out of this migration');
    notes.push(...user.blockedBy, ...user.notes);
    if (user.parity.gaps.length)
      notes.push(`${user.parity.gaps.length} parity gap(s), ${user.parity.acknowledged.length} acknowledged`);
    if (user.parity.needsReview.length) notes.push(`${user.parity.needsReview.length} statement(s) to review`);
    return [
      user.userName,
      user.accountId,
      user.category,
      policies,
      user.permissionSets.join('; '),
      user.groups.join('; '),
      accounts.join('; '),
      user.upn ?? '',
      user.action,
      notes.join('; '),
    ];
  });
}

/** The rows as RFC 4180 CSV with a header line, neutralised against formulas (see csv.ts). */
export function renderPlanCsv(plan: MigrationPlan, snapshot: AuditSnapshot | null): string {
  return csvText([[...SPREADSHEET_COLUMNS], ...spreadsheetRows(plan, snapshot)]);
}
