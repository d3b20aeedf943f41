/**
 * Requests per second the sandbox serves for simple signed IAM reads (GetUser, ListUsers with MaxItems=5).
 * The sandbox runs in this process; worker processes load it over keep-alive HTTP, each request SigV4-signed.
 *
 *   node --import tsx bench/sandbox-rps.ts [--seconds 10] [--workers 2] [--connections 16]
 */
import { fork } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { printBenchHeader } from './machine.js';

type WorkerJob = {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  seconds: number;
  connections: number;
};

/** What a worker did, with the wall-clock window (ms since epoch) its connections were sending in. */
type WorkerResult = { ok: number; failed: number; statuses: Record<string, number>; startMs: number; endMs: number };

const BODIES = ['Action=GetUser&Version=2010-05-08', 'Action=ListUsers&MaxItems=5&Version=2010-05-08'];

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

let cachedKey: { day: string; key: Buffer } | undefined;

/** The derived SigV4 key changes once a day; SDKs cache it the same way. */
function signingKey(job: WorkerJob, day: string): Buffer {
  if (cachedKey?.day === day) return cachedKey.key;
  let key = hmac(`AWS4${job.secretAccessKey}`, day);
  for (const part of [job.region, 'iam', 'aws4_request']) key = hmac(key, part);
  cachedKey = { day, key };
  return key;
}

/** SigV4 headers for a form POST to IAM, signed now. */
function signedHeaders(job: WorkerJob, host: string, body: string): Record<string, string> {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const contentType = 'application/x-www-form-urlencoded; charset=utf-8';
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${contentType}\nhost:${host}\nx-amz-date:${amzDate}\n`,
    'content-type;host;x-amz-date',
    payloadHash,
  ].join('\n');
  const scope = `${day}/${job.region}/iam/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const signature = hmac(signingKey(job, day), toSign).toString('hex');
  return {
    'content-type': contentType,
    host,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${job.accessKeyId}/${scope}, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
  };
}

/**
 * One keep-alive HTTP/1.1 connection issuing requests back to back. Written on a raw socket, as load
 * generators such as autocannon do, so the client spends little of the machine's two cores.
 */
function runConnection(job: WorkerJob, url: URL, deadline: number, result: WorkerResult): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let n = 0;
    let buffered: Buffer = Buffer.alloc(0);
    const send = () => {
      if (Date.now() >= deadline) {
        socket.end();
        return;
      }
      const body = BODIES[n++ % BODIES.length];
      const headers = signedHeaders(job, url.host, body);
      let head = 'POST / HTTP/1.1\r\n';
      for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
      head += `user-agent: sandbox-rps\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n`;
      socket.write(head + body);
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const status = head.slice(9, 12);
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        if (status === '200') result.ok++;
        else result.failed++;
        buffered = buffered.subarray(end + 4 + length);
        send();
      }
    });
    socket.on('error', () => {
      result.failed++;
      resolve();
    });
    socket.on('close', () => resolve());
    socket.on('connect', send);
  });
}

async function runWorker(job: WorkerJob): Promise<WorkerResult> {
  const url = new URL(job.endpoint);
  const startMs = Date.now();
  const deadline = startMs + job.seconds * 1000;
  const result: WorkerResult = { ok: 0, failed: 0, statuses: {}, startMs, endMs: startMs };
  await Promise.all(Array.from({ length: job.connections }, () => runConnection(job, url, deadline, result)));
  result.endMs = Date.now();
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      workers: { type: 'string', default: '2' },
      connections: { type: 'string', default: '16' },
      scenario: { type: 'string', default: 'small' },
    },
  });
  printBenchHeader();
  const { startSandbox } = await import('@iam2sso/sandbox');
  const sandbox = await startSandbox({ scenario: values.scenario as 'small', seed: 1, port: 0 });
  const job: WorkerJob = {
    endpoint: sandbox.info.endpoint,
    region: sandbox.info.region,
    ...sandbox.info.credentials,
    seconds: Number(values.seconds),
    connections: Number(values.connections),
  };
  const workers = Number(values.workers);
  console.log(
    `sandbox at ${job.endpoint}; ${workers} worker processes x ${job.connections} keep-alive connections, ${job.seconds}s of signed GetUser / ListUsers(MaxItems=5)`,
  );
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const results = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<WorkerResult>((resolve, reject) => {
          const child = fork(fileURLToPath(import.meta.url), ['--worker'], {
            execArgv: ['--conditions=iam2sso-source', '--import', 'tsx'],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          });
          child.once('message', (m) => resolve(m as WorkerResult));
          child.once('error', reject);
          child.send(job);
        }),
    ),
  );
  const elapsed = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await sandbox.close();
  const ok = results.reduce((s, r) => s + r.ok, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  // Requests over the time they were actually sent in (first worker's start to last worker's end), not the
  // requested duration: the last responses arrive after the deadline, and workers start at different times.
  const sendingS = (Math.max(...results.map((r) => r.endMs)) - Math.min(...results.map((r) => r.startMs))) / 1000;
  const rps = ok / sendingS;
  console.log(
    `requests: ${ok} ok, ${failed} failed (statuses ${JSON.stringify(statuses)}) sent in ${sendingS.toFixed(2)}s (${elapsed.toFixed(1)}s wall with worker start-up)`,
  );
  console.log(`throughput: ${Math.round(rps)} simple IAM reads per second (target: over 2,000)`);
  const cpuPerRequest = (cpu.user + cpu.system) / Math.max(ok + failed, 1);
  console.log(
    `sandbox CPU per request: ${cpuPerRequest.toFixed(0)} µs (user ${(cpu.user / 1e6).toFixed(2)}s, system ${(cpu.system / 1e6).toFixed(2)}s); one core serves at most ~${Math.round(1e6 / cpuPerRequest)} req/s`,
  );
  if (failed > 0) process.exitCode = 1;
}

if (process.argv.includes('--worker')) {
  process.once('message', async (job) => {
    const result = await runWorker(job as WorkerJob);
    process.send?.(result, () => process.exit(0));
  });
} else {
  await main();
}
