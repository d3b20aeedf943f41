/**
 * `iam2sso track --dir` (DuckDB over the log files, then the classifier and statuses) against `zcat | jq` doing
 * the same per-user aggregation (each user's or key's event count and last use), on a generated organization
 * trail of at least 2 GB uncompressed: gzipped CloudTrail log files in the delivered layout, with IAM user key
 * calls and console sign-ins, Identity Center sign-ins and AWSReservedSSO_ sessions, and AWS service noise.
 * The trail is generated into a temporary directory and deleted afterwards.
 *
 *   node --conditions=iam2sso-source --import tsx bench/track.ts [--gb 2] [--accounts 20] [--skip-jq]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { queryTrailFiles } from '../src/activity/duckdb-trail.js';
import { findTrailFiles } from '../src/activity/trail-files.js';
import { computeTrack } from '../src/core/track-status.js';
import { buildTimeline } from '../src/core/track-timeline.js';

const { values: args } = parseArgs({
  options: {
    gb: { type: 'string', default: '2' },
    accounts: { type: 'string', default: '20' },
    'skip-jq': { type: 'boolean', default: false },
  },
});

const GB = Number(args.gb);
const ACCOUNTS = Number(args.accounts);
const DAYS = 30;
const RECORDS_PER_FILE = 2000;
const now = Date.now();

let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
const accountId = (i: number) => String(100000000000 + i * 7919);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
let counter = 0;
/** Unique hex of `n` digits (a counter mixed with a random part: cheap enough for millions of records). */
const hex = (n: number) =>
  `${(counter++).toString(16)}${Math.floor(rand() * 0xffffffff).toString(16)}`.padStart(n, '0').slice(-n);

function record(account: string, ms: number): Record<string, unknown> {
  const kind = rand();
  const base = {
    eventVersion: '1.10',
    eventTime: iso(ms),
    awsRegion: pick(['us-east-1', 'eu-west-1']),
    sourceIPAddress: `203.0.113.${Math.floor(rand() * 250)}`,
    requestID: hex(32),
    eventID: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
  if (kind < 0.35) {
    const user = `user-${Math.floor(rand() * 60)}`;
    return {
      ...base,
      userIdentity: {
        type: 'IAMUser',
        principalId: `AIDA${hex(16).toUpperCase()}`,
        arn: `arn:aws:iam::${account}:user/${user}`,
        accountId: account,
        accessKeyId: `AKIA${user.padEnd(16, 'X').toUpperCase()}`,
        userName: user,
      },
      eventSource: pick(['s3.amazonaws.com', 'ec2.amazonaws.com', 'dynamodb.amazonaws.com', 'sts.amazonaws.com']),
      eventName: pick(['GetObject', 'DescribeInstances', 'Query', 'GetCallerIdentity']),
      userAgent: pick([
        'aws-cli/2.17.20 Python/3.11.9 Linux/6.5',
        'Boto3/1.34.69 md/Botocore#1.34.69 os/linux',
        'aws-sdk-java/2.25.16 Linux/5.10',
      ]),
      requestParameters: { bucketName: 'data', key: `k/${hex(12)}` },
      responseElements: null,
    };
  }
  if (kind < 0.6) {
    const ps = pick(['AdministratorAccess', 'ReadOnlyAccess', 'Developer']);
    const role = `AWSReservedSSO_${ps}_${'0123456789abcdef'}`;
    const upn = `person-${Math.floor(rand() * 80)}@example.com`;
    return {
      ...base,
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLE:${upn}`,
        arn: `arn:aws:sts::${account}:assumed-role/${role}/${upn}`,
        accountId: account,
        accessKeyId: `ASIA${hex(16).toUpperCase()}`,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLE',
            arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${role}`,
            accountId: account,
            userName: role,
          },
          attributes: { creationDate: iso(ms - 60_000), mfaAuthenticated: 'false' },
        },
      },
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeInstances',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0',
      requestParameters: { maxResults: 50 },
      responseElements: null,
    };
  }
  return {
    ...base,
    userIdentity: {
      type: 'AWSService',
      invokedBy: pick(['lambda.amazonaws.com', 'ec2.amazonaws.com', 'config.amazonaws.com']),
    },
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    userAgent: 'lambda.amazonaws.com',
    requestParameters: { roleArn: `arn:aws:iam::${account}:role/service-role/fn-${hex(6)}`, roleSessionName: hex(10) },
    responseElements: {
      credentials: { accessKeyId: `ASIA${hex(16).toUpperCase()}`, expiration: 'Dec 6, 2026, 9:00:00 AM' },
    },
  };
}

/** Writes gzipped log files until `gb` of JSON is written; returns the counts. */
function generate(dir: string, gb: number): { files: number; records: number; rawBytes: number; gzBytes: number } {
  const out = { files: 0, records: 0, rawBytes: 0, gzBytes: 0 };
  const spanMs = DAYS * 86_400_000;
  while (out.rawBytes < gb * 1e9) {
    const account = accountId(out.files % ACCOUNTS);
    const at = now - spanMs + Math.floor(rand() * (spanMs - 3_600_000));
    const records = Array.from({ length: RECORDS_PER_FILE }, (_, i) => record(account, at + i * 150));
    const json = JSON.stringify({ Records: records });
    const day = new Date(at).toISOString().slice(0, 10).replace(/-/g, '/');
    const folder = join(dir, 'AWSLogs', 'o-bench', account, 'CloudTrail', 'us-east-1', day);
    mkdirSync(folder, { recursive: true });
    const gz = gzipSync(json, { level: 1 });
    writeFileSync(
      join(folder, `${account}_CloudTrail_us-east-1_${iso(at).replace(/[-:]/g, '')}_${hex(16)}.json.gz`),
      gz,
    );
    out.files++;
    out.records += records.length;
    out.rawBytes += Buffer.byteLength(json);
    out.gzBytes += gz.length;
  }
  return out;
}

/** The same aggregation in jq: per user (or key, or SSO session name) the event count and the last use. */
const JQ = `reduce (inputs | .Records[]
  | select(.userIdentity.type == "IAMUser"
      or (.userIdentity.type == "AssumedRole"
          and (.userIdentity.sessionContext.sessionIssuer.arn // "" | contains(":role/aws-reserved/sso.amazonaws.com/")))))
  as $r ({}; (if $r.userIdentity.type == "IAMUser"
      then $r.recipientAccountId + "/" + $r.userIdentity.userName + "/" + $r.userIdentity.accessKeyId
      else ($r.userIdentity.arn | split("/") | last) end) as $k
    | .[$k] |= {n: ((.n // 0) + 1), last: ([(.last // ""), $r.eventTime] | max)})
  | length`;

function runJq(dir: string): Promise<{ ms: number; subjects: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const sh = spawn(
      'sh',
      ['-c', `find "${dir}" -name '*.json.gz' -print0 | xargs -0 zcat | jq -n '${JQ.replace(/'/g, "'\\''")}'`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    sh.stdout.on('data', (d) => {
      out += d;
    });
    sh.on('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, subjects: Number(out.trim()) })
        : reject(new Error(`jq exited ${code}`)),
    );
  });
}

async function runIam2sso(dir: string): Promise<{ ms: number; subjects: number; events: number }> {
  const started = performance.now();
  const files = findTrailFiles(dir);
  const until = new Date();
  const since = new Date(until.getTime() - (DAYS + 1) * 86_400_000);
  const read = await queryTrailFiles(files, since, until);
  const batch = buildTimeline(read.rows, until);
  computeTrack(batch.entries, [], { since, until });
  const subjects = new Set(
    batch.entries.map((e) => (e.subjectKind === 'iam-user' ? `${e.subject}/${e.detail}` : e.subject)),
  );
  return { ms: performance.now() - started, subjects: subjects.size, events: read.events };
}

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-bench-track-'));
try {
  console.log(
    `command: node --conditions=iam2sso-source --import tsx bench/track.ts --gb ${GB} --accounts ${ACCOUNTS}`,
  );
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), ${platform()} ${release()}, node ${process.version}`,
  );
  console.log(`date: ${new Date().toISOString()}`);
  let t = performance.now();
  const made = generate(dir, GB);
  console.log(
    `generated ${made.files} files, ${made.records.toLocaleString('en')} records, ${(made.rawBytes / 1e9).toFixed(2)} GB JSON (${(made.gzBytes / 1e9).toFixed(2)} GB gzipped) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  t = performance.now();
  const ours = await runIam2sso(dir);
  console.log(
    `iam2sso (DuckDB + classify): ${(ours.ms / 1000).toFixed(1)} s, ${Math.round(ours.events / (ours.ms / 1000)).toLocaleString('en')} events/s, ${ours.subjects} users/keys/sessions`,
  );
  if (!args['skip-jq']) {
    const jq = await runJq(dir);
    console.log(
      `zcat | jq (same aggregation): ${(jq.ms / 1000).toFixed(1)} s, ${Math.round(made.records / (jq.ms / 1000)).toLocaleString('en')} events/s, ${jq.subjects} users/keys/sessions`,
    );
    console.log(`speed-up: ${(jq.ms / ours.ms).toFixed(1)}x (goal: at least 5x)`);
  }
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
