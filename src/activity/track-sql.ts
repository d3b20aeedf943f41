/**
 * The track SQL file (track.sql): its named sections, the DDL filled in from validated values, and the query
 * result rows turned into activity rows. Shared by the DuckDB (--dir, --s3) and Athena sources.
 */
import { existsSync, readFileSync } from 'node:fs';
import { trailTime } from '../core/track-records.js';
import type { ActivityRow } from '../core/track-types.js';

/** The sections of track.sql. */
export type TrackSqlName = 'create-table' | 'activity' | 'identity-types' | 'future';

function sqlFile(): URL {
  const beside = new URL('./track.sql', import.meta.url);
  // Built: dist/activity/ has no .sql; the file ships in src/activity/ (package.json "files").
  return existsSync(beside) ? beside : new URL('../../src/activity/track.sql', import.meta.url);
}

let cache: Map<string, string> | undefined;

/** One named section of track.sql with `{{table}}` replaced (a validated identifier). */
export function trackSql(name: TrackSqlName, table: string, fill: Record<string, string> = {}): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) throw new Error(`bad table name ${table}`);
  if (!cache) {
    cache = new Map();
    const text = readFileSync(sqlFile(), 'utf8');
    for (const part of text.split(/^-- name: /m).slice(1)) {
      const nl = part.indexOf('\n');
      cache.set(part.slice(0, nl).trim(), part.slice(nl + 1).trim());
    }
  }
  const sql = cache.get(name);
  if (!sql) throw new Error(`track.sql has no section ${name}`);
  return sql.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (key === 'table') return table;
    const value = fill[key];
    if (value === undefined) throw new Error(`track.sql ${name}: no value for {{${key}}}`);
    return value;
  });
}

/** The parameters of the activity and identity-types queries: first partition day, since, until. */
export function windowParameters(since: Date, until: Date): string[] {
  return [since.toISOString().slice(0, 10).replace(/-/g, '/'), trailTime(since), trailTime(until)];
}

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** A row of the activity query (column names as in track.sql, values as strings or numbers) as an activity row. */
export function activityFromSqlRow(r: Record<string, unknown>): ActivityRow {
  return {
    accountId: text(r.account_id) ?? '',
    region: text(r.region) ?? '',
    eventSource: text(r.event_source) ?? '',
    eventName: text(r.event_name) ?? '',
    identityType: text(r.identity_type) ?? '',
    arn: text(r.arn),
    userName: text(r.user_name),
    accessKeyId: text(r.access_key_id),
    onBehalfOfUserId: text(r.on_behalf_of_user_id),
    identityStoreArn: text(r.identity_store_arn),
    issuerArn: text(r.issuer_arn),
    sessionFromConsole: String(r.session_from_console) === 'true',
    mfaUsed: text(r.mfa_used),
    loginResult: text(r.login_result),
    errorCode: text(r.error_code),
    samlProvider: text(r.saml_provider),
    roleArn: text(r.role_arn),
    sessionName: text(r.session_name),
    targetAccountId: text(r.target_account_id),
    targetRoleName: text(r.target_role_name),
    count: Number(r.events),
    firstTime: String(r.first_time),
    lastTime: String(r.last_time),
    firstEventId: String(r.first_event_id),
    lastEventId: String(r.last_event_id),
    lastSourceIp: text(r.last_source_ip),
    lastUserAgent: text(r.last_user_agent),
  };
}

/** Identity types CloudTrail documents; other types in the window are skipped and named. */
export const KNOWN_IDENTITY_TYPES = new Set([
  'IAMUser',
  'IdentityCenterUser',
  'Unknown',
  'SAMLUser',
  'AssumedRole',
  'Root',
  'AWSService',
  'FederatedUser',
  'AWSAccount',
  'WebIdentityUser',
]);
