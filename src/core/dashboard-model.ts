/**
 * What the dashboard shows, computed from what the state database and the plan file hold: the migration phases
 * per account, one row per IAM user with how far they have come, and what blocks them. Pure: the caller reads
 * the database and the file, and passes the time in.
 */
import type { AuditSnapshot, Category, Classification, Confidence, Finding, Severity, UserRecord } from './model.js';
import type { MigrationPlan, PlannedUser, UserAction } from './plan-types.js';

/** The phases of a migration, in order; a person is counted in every phase they have reached. */
export const PHASES = ['audited', 'planned', 'applied', 'synced', 'sso', 'legacy-disabled', 'deleted'] as const;
export type Phase = (typeof PHASES)[number];

/** How each phase is named on the page. */
export const PHASE_LABELS: Record<Phase, string> = {
  audited: 'audited',
  planned: 'planned',
  applied: 'applied',
  synced: 'in the Identity Store',
  sso: 'signing in through SSO',
  'legacy-disabled': 'legacy access disabled',
  deleted: 'IAM user deleted',
};

/** What tracking recorded, keyed by lower-case UPN (SSO use) or `account/user` (an IAM user's legacy use). */
export type PersonProgress = {
  firstSsoUse: string | null;
  lastSsoUse: string | null;
  lastLegacyUse: string | null;
  status: string | null;
};

/** Everything the model is computed from. `tracked` and `retired` are null when those stages never ran. */
export type DashboardInputs = {
  audit: { snapshot: AuditSnapshot; classifications: Classification[]; findings: Finding[] } | null;
  plan: MigrationPlan | null;
  /** Account assignments the journal shows created, as `account|permission set|group` (lower case). */
  appliedAssignments: Set<string>;
  /** UPNs (lower case) that are users in the Identity Store, as apply or sync recorded them. */
  storeUsers: Set<string>;
  tracked: Map<string, PersonProgress> | null;
  /** IAM users (`account/user`) whose legacy access is disabled, and those deleted. */
  retired: { disabled: Set<string>; deleted: Set<string> } | null;
};

/** One IAM user as the people table shows it. */
export type PersonRow = {
  key: string;
  accountId: string;
  accountLabel: string;
  userName: string;
  category: Category | 'unknown';
  confidence: Confidence | null;
  upn: string | null;
  action: UserAction | null;
  findings: number;
  worstSeverity: Severity | null;
  lastLegacyUse: string | null;
  firstSsoUse: string | null;
  /** The newest `iam2sso track` status of the person (or of the IAM user when no person is mapped). */
  trackStatus: string | null;
  /** The furthest phase reached. */
  phase: Phase;
  blockedBy: string[];
};

/** One account's progress: how many of its IAM users reached each phase. */
export type AccountProgress = {
  accountId: string;
  label: string;
  readable: boolean;
  error: string | null;
  users: number;
  phases: Record<Phase, number>;
};

export type DashboardModel = {
  auditedAt: string | null;
  planCreatedAt: string | null;
  accounts: AccountProgress[];
  totals: Record<Phase, number>;
  people: PersonRow[];
  /** What stops the migration, one line each. */
  blocked: { what: string; why: string }[];
  /** Phases that no stage has recorded yet (shown as "not started" rather than zero). */
  notStarted: Phase[];
};

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low'];

const userKey = (accountId: string, userName: string) => `${accountId}/${userName}`;

/** The most recent of the user's password and key uses, from the audit. */
export function lastLegacyUseOf(user: UserRecord): string | null {
  const dates = [user.passwordLastUsed, ...user.accessKeys.map((k) => k.lastUsedAt)].filter(
    (d): d is string => typeof d === 'string' && d.length > 0,
  );
  return dates.length ? dates.sort().at(-1)! : null;
}

function plannedAssignments(plan: MigrationPlan, user: PlannedUser): string[] {
  if (!user.upn) return [];
  const upn = user.upn.toLowerCase();
  const out: string[] = [];
  for (const g of plan.groups) {
    if (!g.members.some((m) => m.toLowerCase() === upn)) continue;
    for (const a of g.assignments)
      if (a.accountId === user.accountId) out.push(`${a.accountId}|${a.permissionSet}|${g.name}`.toLowerCase());
  }
  return out;
}

function phaseOf(inputs: DashboardInputs, user: UserRecord, planned: PlannedUser | undefined): Phase {
  const key = userKey(user.accountId, user.userName);
  if (inputs.retired?.deleted.has(key)) return 'deleted';
  if (inputs.retired?.disabled.has(key)) return 'legacy-disabled';
  if (!planned || !inputs.plan) return 'audited';
  const upn = planned.upn?.toLowerCase();
  if (upn && inputs.tracked?.get(upn)?.firstSsoUse) return 'sso';
  const wanted = planned.action === 'migrate' ? plannedAssignments(inputs.plan, planned) : [];
  const applied = wanted.length > 0 && wanted.every((k) => inputs.appliedAssignments.has(k));
  if (applied && upn && inputs.storeUsers.has(upn)) return 'synced';
  if (applied) return 'applied';
  return 'planned';
}

function worst(findings: Finding[]): Severity | null {
  for (const s of SEVERITY_ORDER) if (findings.some((f) => f.severity === s)) return s;
  return null;
}

function personRows(inputs: DashboardInputs, labels: Map<string, string>): PersonRow[] {
  const audit = inputs.audit;
  if (!audit) return [];
  const classes = new Map(audit.classifications.map((c) => [userKey(c.accountId, c.userName), c]));
  const planned = new Map((inputs.plan?.users ?? []).map((u) => [userKey(u.accountId, u.userName), u]));
  const findings = new Map<string, Finding[]>();
  for (const f of audit.findings) {
    if (!f.userName) continue;
    const k = userKey(f.accountId, f.userName);
    findings.set(k, [...(findings.get(k) ?? []), f]);
  }
  const rows: PersonRow[] = [];
  for (const account of audit.snapshot.accounts)
    for (const user of account.users) {
      const key = userKey(user.accountId, user.userName);
      const c = classes.get(key);
      const p = planned.get(key);
      const mine = findings.get(key) ?? [];
      const upn = p?.upn ?? null;
      const progress = upn ? inputs.tracked?.get(upn.toLowerCase()) : undefined;
      const legacy = inputs.tracked?.get(key);
      rows.push({
        key,
        accountId: user.accountId,
        accountLabel: labels.get(user.accountId) ?? user.accountId,
        userName: user.userName,
        category: c?.category ?? 'unknown',
        confidence: c?.confidence ?? null,
        upn,
        action: p?.action ?? null,
        findings: mine.length,
        worstSeverity: worst(mine),
        lastLegacyUse: [legacy?.lastLegacyUse ?? null, lastLegacyUseOf(user)].filter(Boolean).sort().at(-1) ?? null,
        trackStatus: progress?.status ?? legacy?.status ?? null,
        firstSsoUse: progress?.firstSsoUse ?? null,
        phase: phaseOf(inputs, user, p),
        blockedBy: p?.blockedBy ?? [],
      });
    }
  return rows.sort((a, b) => (a.key < b.key ? -1 : 1));
}

function emptyPhases(): Record<Phase, number> {
  return Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
}

function count(rows: PersonRow[]): Record<Phase, number> {
  const out = emptyPhases();
  for (const r of rows) for (const p of PHASES.slice(0, PHASES.indexOf(r.phase) + 1)) out[p]++;
  return out;
}

function blockers(inputs: DashboardInputs, rows: PersonRow[]): DashboardModel['blocked'] {
  const out: DashboardModel['blocked'] = [];
  for (const a of inputs.audit?.snapshot.accounts ?? [])
    if (a.status !== 'ok') out.push({ what: `account ${a.accountId} (${a.name})`, why: a.error ?? 'not read' });
  for (const r of rows) for (const why of r.blockedBy) out.push({ what: `${r.accountLabel} / ${r.userName}`, why });
  for (const p of inputs.plan?.problems ?? [])
    out.push({ what: p.userName ? `plan: ${p.userName}` : 'plan', why: p.message });
  return out;
}

/** Builds the dashboard's model from the stored stages. */
export function buildDashboardModel(inputs: DashboardInputs): DashboardModel {
  const accounts = inputs.audit?.snapshot.accounts ?? [];
  const labels = new Map(accounts.map((a) => [a.accountId, `${a.alias ?? a.name} (${a.accountId})`]));
  const people = personRows(inputs, labels);
  const notStarted: Phase[] = [];
  if (!inputs.plan) notStarted.push('planned');
  if (inputs.appliedAssignments.size === 0) notStarted.push('applied');
  if (inputs.storeUsers.size === 0) notStarted.push('synced');
  if (!inputs.tracked) notStarted.push('sso');
  if (!inputs.retired) notStarted.push('legacy-disabled', 'deleted');
  return {
    auditedAt: inputs.audit?.snapshot.takenAt ?? null,
    planCreatedAt: inputs.plan?.createdAt ?? null,
    accounts: accounts.map((a) => {
      const mine = people.filter((p) => p.accountId === a.accountId);
      return {
        accountId: a.accountId,
        label: labels.get(a.accountId)!,
        readable: a.status === 'ok',
        error: a.error ?? null,
        users: mine.length,
        phases: count(mine),
      };
    }),
    totals: count(people),
    people,
    blocked: blockers(inputs, people),
    notStarted,
  };
}
