/**
 * CloudTrail records (as parsed JSON) to activity rows, and the grouping that the SQL sources do with GROUP BY
 * done in TypeScript for LookupEvents and small inputs. Pure.
 */
import type { ActivityRow } from './track-types.js';

type Json = Record<string, unknown>;

function obj(value: unknown): Json | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return obj(JSON.parse(value));
    } catch {
      return null;
    }
  }
  return null;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Why a record cannot be read as a CloudTrail event, or null when it can. */
export function recordProblem(record: unknown): string | null {
  const r = obj(record);
  if (!r) return 'not a JSON object';
  for (const field of ['eventTime', 'eventSource', 'eventName', 'eventID'])
    if (typeof r[field] !== 'string' || !r[field]) return `no ${field}: not a CloudTrail record`;
  if (!Number.isFinite(Date.parse(r.eventTime as string))) return `eventTime "${r.eventTime}" is not a time`;
  return null;
}

/** The activity row of one CloudTrail record (count 1). Call `recordProblem` first. */
export function activityFromRecord(record: Json): ActivityRow {
  const identity = obj(record.userIdentity) ?? {};
  const behalf = obj(identity.onBehalfOf);
  const issuer = obj(obj(identity.sessionContext)?.sessionIssuer);
  const request = obj(record.requestParameters);
  const response = obj(record.responseElements);
  const additional = obj(record.additionalEventData);
  const time = record.eventTime as string;
  const id = record.eventID as string;
  return {
    accountId: str(record.recipientAccountId) ?? str(identity.accountId) ?? '',
    region: str(record.awsRegion) ?? '',
    eventSource: record.eventSource as string,
    eventName: record.eventName as string,
    identityType: str(identity.type) ?? '',
    arn: str(identity.arn) || null,
    userName: str(identity.userName) || null,
    accessKeyId: str(identity.accessKeyId) || null,
    onBehalfOfUserId: str(behalf?.userId) || null,
    identityStoreArn: str(behalf?.identityStoreArn) || null,
    issuerArn: str(issuer?.arn) || null,
    sessionFromConsole: str(record.sessionCredentialFromConsole) === 'true',
    mfaUsed: str(additional?.MFAUsed),
    loginResult: str(response?.ConsoleLogin),
    errorCode: str(record.errorCode) || null,
    samlProvider: str(request?.principalArn),
    roleArn: str(request?.roleArn),
    sessionName: record.eventName === 'AssumeRoleWithSAML' ? str(request?.roleSessionName) : null,
    targetAccountId: str(request?.accountId),
    targetRoleName: str(request?.roleName),
    count: 1,
    firstTime: time,
    lastTime: time,
    firstEventId: id,
    lastEventId: id,
    lastSourceIp: str(record.sourceIPAddress),
    lastUserAgent: str(record.userAgent),
  };
}

const KEY_FIELDS = [
  'accountId',
  'region',
  'eventSource',
  'eventName',
  'identityType',
  'arn',
  'userName',
  'accessKeyId',
  'onBehalfOfUserId',
  'identityStoreArn',
  'issuerArn',
  'sessionFromConsole',
  'mfaUsed',
  'loginResult',
  'errorCode',
  'samlProvider',
  'roleArn',
  'sessionName',
  'targetAccountId',
  'targetRoleName',
] as const;

/** Merges `row` into `into` (same group): counts add, first and last keep their evidence. */
export function mergeActivity(into: ActivityRow, row: ActivityRow): void {
  into.count += row.count;
  if (row.firstTime < into.firstTime || (row.firstTime === into.firstTime && row.firstEventId < into.firstEventId)) {
    into.firstTime = row.firstTime;
    into.firstEventId = row.firstEventId;
  }
  if (row.lastTime > into.lastTime || (row.lastTime === into.lastTime && row.lastEventId > into.lastEventId)) {
    into.lastTime = row.lastTime;
    into.lastEventId = row.lastEventId;
    into.lastSourceIp = row.lastSourceIp;
    into.lastUserAgent = row.lastUserAgent;
  }
}

/** Groups activity rows as the SQL sources' GROUP BY does. */
export class ActivityAggregator {
  private readonly groups = new Map<string, ActivityRow>();

  /** Adds one row (a record, or a group from elsewhere). */
  add(row: ActivityRow): void {
    const key = KEY_FIELDS.map((f) => String(row[f] ?? '')).join('\u0001');
    const group = this.groups.get(key);
    if (group) mergeActivity(group, row);
    else this.groups.set(key, { ...row });
  }

  /** The groups so far. */
  rows(): ActivityRow[] {
    return [...this.groups.values()];
  }
}

/** CloudTrail eventTime of an instant: ISO 8601 to the second, as CloudTrail writes it. */
export function trailTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
