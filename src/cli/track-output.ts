/** What `iam2sso track` prints: a table per person and per IAM user without one, CSV, or JSON. */
import { statusLabel, type TrackReport } from '../core/track-status.js';
import { textTable } from '../report/text-table.js';
import { type Io, printJson } from './io.js';

/** What a run read and skipped, beside the report. */
export type TrackRunSummary = {
  runId: string;
  source: string;
  eventsRead: number;
  apiCalls: number;
  /** Calls to the source itself (LookupEvents, S3, Athena). */
  sourceCalls: number;
  durationMs: number;
  other: Record<string, number>;
  skipped: { files: { file: string; problem: string }[]; records: { where: string; problem: string; count: number }[] };
  unreachable: { accountId: string; region?: string; error: string }[];
  notes: string[];
  state: string;
};

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '-');

function counts(report: TrackReport): Record<string, number> {
  const out: Record<string, number> = { 'legacy-only': 0, dual: 0, 'sso-only': 0, silent: 0 };
  for (const p of report.people) out[p.status]++;
  return out;
}

const CSV_HEADER = [
  'kind',
  'subject',
  'status',
  'since',
  'last_legacy',
  'last_legacy_event',
  'first_sso',
  'last_sso',
  'last_sso_event',
  'keys',
];

function csvCell(v: string): string {
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV row per person and per IAM user. */
export function trackCsv(report: TrackReport): string {
  const rows = [
    ...report.people.map((p) => [
      'person',
      p.upn,
      p.status,
      p.since ?? '',
      p.lastLegacy?.time ?? '',
      p.lastLegacy?.eventId ?? '',
      p.firstSso?.time ?? '',
      p.lastSso?.time ?? '',
      p.lastSso?.eventId ?? '',
      '',
    ]),
    ...report.iamUsers.map((u) => [
      'iam-user',
      `${u.accountId}/${u.userName}`,
      u.status,
      '',
      u.lastLegacy?.time ?? '',
      u.lastLegacy?.eventId ?? '',
      '',
      '',
      '',
      u.keys.map((k) => `${k.accessKeyId}@${k.lastTime}`).join(' '),
    ]),
  ];
  return [CSV_HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\n');
}

function printTables(io: Io, report: TrackReport): void {
  io.out(
    textTable(
      ['Person', 'Status', 'Last legacy use', 'First SSO', 'Last SSO', 'Evidence'],
      report.people.map((p) => [
        p.upn,
        statusLabel(p.status, p.since),
        day(p.lastLegacy?.time),
        day(p.firstSso?.time),
        day(p.lastSso?.time),
        p.lastLegacy?.eventId ?? p.lastSso?.eventId ?? '-',
      ]),
      60,
    ),
  );
  if (report.directSaml.length) {
    io.out('');
    io.out(
      textTable(
        ['Direct SAML role (still used)', 'Person', 'First', 'Last', 'Sign-ins', 'Evidence'],
        report.directSaml.map((d) => [
          `${d.accountId}/${d.role}`,
          d.upn,
          day(d.first.time),
          day(d.last.time),
          String(d.events),
          d.last.eventId,
        ]),
        50,
      ),
    );
  }
  const alone = report.iamUsers.filter((u) => !u.upn);
  if (alone.length) {
    io.out('');
    io.out(
      textTable(
        ['IAM user (no person)', 'Status', 'Key', 'Last call', 'Service', 'Source IP', 'User agent'],
        alone.flatMap((u) => {
          const name = `${u.accountId}/${u.userName}`;
          if (!u.keys.length) return [[name, u.status, '-', day(u.lastLegacy?.time), '-', '-', '-']];
          return u.keys.map((k) => [
            name,
            u.status,
            k.accessKeyId,
            day(k.lastTime),
            k.service ?? '-',
            k.sourceIp ?? '-',
            k.userAgent ?? '-',
          ]);
        }),
        50,
      ),
    );
  }
}

/** Prints the result as the flags ask. */
export function printTrack(io: Io, report: TrackReport, run: TrackRunSummary, format: 'json' | 'table' | 'csv'): void {
  if (format === 'json') {
    printJson(io, {
      ...run,
      window: report.window,
      statuses: counts(report),
      people: report.people,
      iamUsers: report.iamUsers,
      unmatchedSso: report.unmatchedSso,
      directSaml: report.directSaml,
    });
    return;
  }
  if (format === 'csv') {
    io.out(trackCsv(report));
    return;
  }
  printTables(io, report);
  io.out('');
  const c = counts(report);
  io.out(
    `${report.people.length} people: ${c['legacy-only']} legacy-only, ${c.dual} dual, ${c['sso-only']} sso-only, ${c.silent} silent; ` +
      `${report.iamUsers.filter((u) => u.status === 'legacy-only').length} of ${report.iamUsers.length} IAM users still used (since ${day(report.window.since)}).`,
  );
  if (report.directSaml.length) {
    const people = new Set(report.directSaml.map((d) => d.upn)).size;
    const roles = new Set(report.directSaml.map((d) => `${d.accountId}/${d.role}`)).size;
    io.out(
      `${people} people still sign in through direct SAML federation, to ${roles} roles: retire those providers after them.`,
    );
  }
  const skippedRecords = run.skipped.records.reduce((n, r) => n + r.count, 0);
  io.out(
    `${run.eventsRead} events read from ${run.source} with ${run.apiCalls} API calls (${run.sourceCalls} to the source) in ${(run.durationMs / 1000).toFixed(1)} s; ` +
      `skipped ${run.skipped.files.length} files and ${skippedRecords} records.`,
  );
  for (const f of run.skipped.files) io.out(`  skipped file ${f.file}: ${f.problem}`);
  for (const r of run.skipped.records.slice(0, 20)) io.out(`  skipped ${r.count} × ${r.where}: ${r.problem}`);
  for (const u of run.unreachable)
    io.out(`  account ${u.accountId}${u.region ? ` in ${u.region}` : ''} not read: ${u.error}`);
  if (report.unmatchedSso.length)
    io.out(
      `  ${report.unmatchedSso.length} SSO users match no person in the plan: ${report.unmatchedSso.slice(0, 5).join(', ')}`,
    );
  for (const n of run.notes) io.out(`note: ${n}`);
  io.out(`Saved as ${run.runId} in ${run.state}.`);
}
