/**
 * Benchmark of apply's executor on Identity Center's real limits: 1,200 account assignments (20 groups x 60
 * accounts) of one permission set, through the product's SSO Admin and Identity Store adapters, against a sandbox
 * with Identity Center's quotas on: 20 requests per second shared by both APIs, at most 15 outstanding
 * asynchronous requests, and a delay before each asynchronous request completes. The wall time is compared with the
 * bound those limits set: max(calls that cannot be avoided / 20 rps, assignments x delay / 15 outstanding).
 *
 *     node --conditions=iam2sso-source --import tsx bench/apply.ts [--accounts 60] [--groups 20] [--delay-ms 1000]
 */
import { cpus, hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startSandbox } from '@iam2sso/sandbox';
import { applyPerformer } from '../src/apply/perform.js';
import type { ApplyPorts, EntraPort } from '../src/apply/ports.js';
import type { LiveContext } from '../src/apply/read-live.js';
import { ApiCallCounter } from '../src/aws/clients.js';
import { createSsoAdminClient, identityCenterAdapter } from '../src/aws/identity-center.js';
import { createIdentityStoreClient, identityStoreAdapter } from '../src/aws/identity-store.js';
import type { Change } from '../src/core/reconcile/changes.js';
import { executeChanges } from '../src/reconcile/executor.js';
import { memoryJournal } from '../src/reconcile/journal.js';
import { TokenBucket } from '../src/reconcile/limits.js';
import type { Ownership } from '../src/store/ownership-repo.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '60' },
    groups: { type: 'string', default: '20' },
    'delay-ms': { type: 'string', default: '1000' },
    rps: { type: 'string', default: '20' },
  },
});
const ACCOUNTS = Number(values.accounts);
const GROUPS = Number(values.groups);
const DELAY = Number(values['delay-ms']);
const RPS = Number(values.rps);

/** Ownership in memory: every create of the run is the tool's. */
function memoryOwned(): Ownership {
  const owned = new Set<string>();
  const k = (r: { kind: string; key: string }) => `${r.kind}\n${r.key}`;
  return {
    isOwned: (r) => owned.has(k(r)),
    originOf: (r) => (owned.has(k(r)) ? 'created' : null),
    record: (r) => void owned.add(k(r)),
    release: (r) => void owned.delete(k(r)),
    count: () => owned.size,
  };
}

const sandbox = await startSandbox({ scenario: 'small', seed: 1, accounts: ACCOUNTS, usersPerAccount: 1, port: 0 });
const sso = sandbox.world.sso!;
sso.rateLimitPerSecond = RPS;
sso.asyncDelayMs = DELAY;
const counter = new ApiCallCounter();
const settings = {
  region: sandbox.info.region,
  retryMode: 'adaptive' as const,
  endpoint: sandbox.info.endpoint,
  credentials: { ...sandbox.info.credentials },
  maxAttempts: 10,
  counter,
};
const bucket = new TokenBucket(RPS);
const pace = () => bucket.take();
const ssoClient = createSsoAdminClient(settings, pace);
const identityCenter = identityCenterAdapter(ssoClient);
const storeClient = createIdentityStoreClient(settings, pace);
const identityStore = identityStoreAdapter(storeClient, async () => (await identityCenter.instance()).identityStoreId);
const ports: ApplyPorts = { identityCenter, identityStore, entra: {} as EntraPort };
const live = {
  state: { store: { groups: [] } },
  permissionSetArns: new Map(),
  storeGroupIds: new Map(),
  storeUserIds: new Map(),
  entraGroupIds: new Map(),
  entraUsers: new Map(),
  app: null,
} as unknown as LiveContext;

const accounts = sandbox.info.accounts.map((a) => a.id).slice(0, ACCOUNTS);
const groups = Array.from({ length: GROUPS }, (_, i) => `Bench-${String(i).padStart(2, '0')}`);
const setup: Change[] = [
  { kind: 'ps.create', name: 'BenchReadOnly', description: 'bench', sessionDuration: 'PT1H' },
  { kind: 'ps.attach-managed', name: 'BenchReadOnly', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
  ...groups.map((name) => ({ kind: 'store.group.create' as const, name })),
];
const assignments: Change[] = accounts.flatMap((accountId) =>
  groups.map((group) => ({ kind: 'assignment.create' as const, accountId, permissionSet: 'BenchReadOnly', group })),
);
const ownership = memoryOwned();
const performer = applyPerformer(ports, live, { concurrency: 16, pollMs: DELAY });
const options = { runId: 'bench', journal: memoryJournal(), ownership, log: (l: string) => console.error(l) };
await executeChanges(setup, performer, options);
const callsBefore = counter.total;
const started = performance.now();
const report = await executeChanges(assignments, performer, options);
const wallMs = performance.now() - started;
const calls = counter.total - callsBefore;
const n = assignments.length;
// Each assignment needs its create and at least one status read; at most 15 are in flight for DELAY each.
const rateBound = (2 * n) / RPS;
const outstandingBound = (n * DELAY) / 1000 / 15;
const bound = Math.max(rateBound, outstandingBound);
console.log(`command: node --conditions=iam2sso-source --import tsx bench/apply.ts ${process.argv.slice(2).join(' ')}`);
console.log(`machine: ${hostname()}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
console.log(`date: ${new Date().toISOString()}`);
console.log(
  `${n} assignments over ${accounts.length} accounts: ${report.done.length} done, ${report.failed.length} failed`,
);
console.log(`limits: ${RPS} requests/s shared, 15 outstanding, ${DELAY} ms per asynchronous request`);
console.log(`calls: ${calls} (${(calls / n).toFixed(2)} per assignment, retries ${counter.retries})`);
console.log(
  `wall: ${(wallMs / 1000).toFixed(1)} s; bound ${bound.toFixed(1)} s (rate ${rateBound.toFixed(1)} s, outstanding ${outstandingBound.toFixed(1)} s); ratio ${(wallMs / 1000 / bound).toFixed(2)}x`,
);
ssoClient.destroy();
storeClient.destroy();
await sandbox.close();
