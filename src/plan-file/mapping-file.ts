/**
 * The identity mapping file: rows of account, IAM user name and Entra UPN, as CSV (`account,user,upn`, header
 * optional, `*` for any account) or YAML (a list of `{account, user, upn}`). Bad rows are reported with lines.
 */

import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { isUpn, type MappingEntry } from '../core/identity-map.js';
import type { PlanFileProblem } from './read.js';

/** Reads a mapping file; YAML when the name ends in .yaml/.yml, CSV otherwise. */
export function readMappingFile(path: string): { entries: MappingEntry[]; problems: PlanFileProblem[] } {
  const text = readFileSync(path, 'utf8');
  return /\.ya?ml$/i.test(path) ? parseMappingYaml(text, path) : parseMappingCsv(text, path);
}

/** Parses CSV rows `account,user,upn`. */
export function parseMappingCsv(text: string, file: string): { entries: MappingEntry[]; problems: PlanFileProblem[] } {
  const entries: MappingEntry[] = [];
  const problems: PlanFileProblem[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      info: true,
      trim: true,
      skip_empty_lines: true,
      comment: '#',
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (error) {
    const e = error as { message: string; lines?: number };
    return { entries, problems: [{ file, line: e.lines ?? 1, message: e.message }] };
  }
  records.forEach(({ record: cells, info }, i) => {
    if (i === 0 && /^account/i.test(cells[0] ?? '')) return;
    const row = check(cells[0], cells[1], cells[2], info.lines);
    if (typeof row === 'string') problems.push({ file, line: info.lines, message: row });
    else entries.push(row);
  });
  return { entries, problems };
}

/** Parses a YAML list of `{account, user, upn}`. */
export function parseMappingYaml(text: string, file: string): { entries: MappingEntry[]; problems: PlanFileProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    return {
      entries: [],
      problems: doc.errors.map((e) => ({
        file,
        line: lines.linePos(e.pos[0]).line,
        message: e.message.split('\n')[0],
      })),
    };
  }
  const entries: MappingEntry[] = [];
  const problems: PlanFileProblem[] = [];
  const seq = doc.contents;
  if (!isSeq(seq))
    return { entries, problems: [{ file, line: 1, message: 'expected a list of {account, user, upn}' }] };
  for (const item of seq.items) {
    const line = isMap(item) && item.range ? lines.linePos(item.range[0]).line : undefined;
    const value = isMap(item) ? (item.toJSON() as Record<string, unknown>) : {};
    const row = check(
      String(value.account ?? value.accountId ?? ''),
      String(value.user ?? value.userName ?? ''),
      String(value.upn ?? ''),
      line,
    );
    if (typeof row === 'string') problems.push({ file, line, message: row });
    else entries.push(row);
  }
  return { entries, problems };
}

function check(
  account: string | undefined,
  user: string | undefined,
  upn: string | undefined,
  line?: number,
): MappingEntry | string {
  if (!account || !(account === '*' || /^\d{12}$/.test(account)))
    return `account must be 12 digits or *, not ${JSON.stringify(account ?? '')}`;
  if (!user) return 'user is required';
  if (!upn || !isUpn(upn)) return `not a user principal name: ${JSON.stringify(upn ?? '')}`;
  return { accountId: account, userName: user, upn, line };
}
