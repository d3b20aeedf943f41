/**
 * What a failed read costs an audit: the calls, retries and time of one audit of the `small` sandbox estate with
 * no fault, with an HTML 503 page on a required read in one account (retried twice, then that account is not
 * read), and with ListServiceSpecificCredentials denied everywhere (never retried; every account partial).
 *
 *   node --conditions=iam2sso-source --import tsx bench/partial-reads.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { runInProcess } from '../test/helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-bench-partial-'));
console.log(
  `# bench/partial-reads.ts on ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${new Date().toISOString()}`,
);
const sb = await startSandbox({ scenario: 'small', seed: 3, port: 0 });
const env = { ...sandboxClientEnv(sb.info), AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
const member = sb.manifest.accounts.find((a) => a.id !== sb.manifest.managementAccountId)!.id;
const rules = `${sb.info.endpoint}/_sandbox/faults/rules`;
const cases: [string, unknown][] = [
  ['none', null],
  [
    'html503 on GetAccountAuthorizationDetails in one account',
    { service: 'iam', operation: 'GetAccountAuthorizationDetails', account: member, error: 'html503' },
  ],
  [
    'AccessDenied on ListServiceSpecificCredentials everywhere',
    { service: 'iam', operation: 'ListServiceSpecificCredentials', error: 'AccessDenied' },
  ],
];
for (const [label, rule] of cases) {
  await fetch(rules, { method: 'DELETE' });
  if (rule) await fetch(rules, { method: 'POST', body: JSON.stringify(rule) });
  const t = Date.now();
  const r = await runInProcess(['audit', '--json', '--no-progress', '--state', join(dir, `${Date.now()}.db`)], env);
  if (r.status !== 0) {
    console.log('FAILED', r.stderr);
    continue;
  }
  const j = r.json<{
    apiCalls: number;
    retries: number;
    apiCallsByOperation: Record<string, number>;
    accounts: { status: string }[];
  }>();
  console.log(
    `${label}: exit ${r.status}, ${((Date.now() - t) / 1000).toFixed(1)} s, ${j.apiCalls} calls (${j.retries} retries), GetAccountAuthorizationDetails ${j.apiCallsByOperation['iam:GetAccountAuthorizationDetails']}, ListServiceSpecificCredentials ${j.apiCallsByOperation['iam:ListServiceSpecificCredentials']}, statuses ${j.accounts.map((a) => a.status).join(',')}`,
  );
}
await sb.close();
rmSync(dir, { recursive: true, force: true });
