/**
 * Benchmark of `iam2sso sync`: a sandbox tenant of 10,000 Entra users, 1,000 groups (100 of them with a nested
 * group) and 50,000 direct memberships, synced into an empty Identity Store, then 100 changes synced
 * incrementally. Both rate limits are off (the sandbox's and the client's token bucket), so the figures measure
 * the engine; the bound Identity Center's ~20 requests per second would set is computed from the calls made.
 *
 *     node --import tsx bench/sync.ts [--users 10000] [--groups 1000] [--memberships 50000] [--changes 100]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startSandbox } from '@iam2sso/sandbox';
import { addMember, deleteUser, markChanged, removeMember } from '@iam2sso/sandbox/entra/directory.js';
import type { EntraGroup, EntraState, EntraUser } from '@iam2sso/sandbox/world/entra-state.js';
import type { SyncFlags } from '../src/cli/sync.js';
import { runSyncCommand } from '../src/cli/sync-run.js';
import { printBenchHeader } from './machine.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '1000' },
    memberships: { type: 'string', default: '50000' },
    changes: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '16' },
  },
});
const USERS = Number(values.users);
const GROUPS = Number(values.groups);
const MEMBERSHIPS = Number(values.memberships);
const CHANGES = Number(values.changes);
const IDENTITY_CENTER_RPS = 20;

function buildTenant(entra: EntraState, now: Date, rng: () => number): { users: EntraUser[]; groups: EntraGroup[] } {
  const users: EntraUser[] = [];
  for (let i = 0; i < USERS; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const user: EntraUser = {
      id,
      userPrincipalName: `user${i}@bench.example.com`,
      mail: `user${i}@bench.example.com`,
      givenName: `Given${i}`,
      surname: `Family${i}`,
      displayName: `Given${i} Family${i}`,
      accountEnabled: true,
      onPremisesImmutableId: null,
      jobTitle: null,
      department: null,
      createdDateTime: now,
    };
    entra.users.set(id, user);
    markChanged(entra, id, 'user', now);
    users.push(user);
  }
  const groups: EntraGroup[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const id = `10000000-0000-4000-8000-${String(g).padStart(12, '0')}`;
    const group: EntraGroup = {
      id,
      displayName: `AWS-bench-${String(g).padStart(4, '0')}`,
      description: null,
      mailNickname: `aws-bench-${g}`,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: now,
      members: new Set(),
    };
    entra.groups.set(id, group);
    markChanged(entra, id, 'group', now);
    groups.push(group);
  }
  let made = 0;
  while (made < MEMBERSHIPS) {
    const group = groups[made % GROUPS];
    if (addMember(entra, group, users[Math.floor(rng() * USERS)].id, now)) made++;
  }
  // One group in ten also holds another group, so the sync flattens nesting at scale.
  for (let g = 0; g < GROUPS; g += 10) addMember(entra, groups[g], groups[(g + 5) % GROUPS].id, now);
  return { users, groups };
}

/** 100 changes an admin might make in a day: joiners in groups, moves, leavers disabled and deleted. */
function makeChanges(
  entra: EntraState,
  users: EntraUser[],
  groups: EntraGroup[],
  now: Date,
  rng: () => number,
): string {
  const pick = <T>(list: T[]) => list[Math.floor(rng() * list.length)];
  const kinds = { added: 0, removed: 0, disabled: 0, deleted: 0 };
  for (let i = 0; i < CHANGES; i++) {
    const k = i % 10;
    if (k < 4) {
      if (addMember(entra, pick(groups), pick(users).id, now)) kinds.added++;
    } else if (k < 7) {
      const group = pick(groups);
      const member = [...group.members].find((m) => entra.users.has(m));
      if (member && removeMember(entra, group, member, now)) kinds.removed++;
    } else if (k < 9) {
      const user = pick(users);
      if (user.accountEnabled && !user.deletedDateTime) {
        user.accountEnabled = false;
        markChanged(entra, user.id, 'user', now);
        kinds.disabled++;
      }
    } else {
      const user = pick(users);
      if (!user.deletedDateTime) {
        deleteUser(entra, user, now);
        kinds.deleted++;
      }
    }
  }
  return `${kinds.added} added to groups, ${kinds.removed} removed from groups, ${kinds.disabled} disabled, ${kinds.deleted} deleted`;
}

async function main(): Promise<void> {
  printBenchHeader();
  const sandbox = await startSandbox({ scenario: 'small', seed: 7, port: 0 });
  const entra = sandbox.world.entra!;
  const info = sandbox.info.entra!;
  sandbox.world.sso!.rateLimitPerSecond = null;
  // mulberry32: integer arithmetic, so picks spread over every user (a float LCG loses bits and repeats).
  let seed = 42;
  const rng = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const { users, groups } = buildTenant(entra, sandbox.world.clock.now(), rng);
  const state = `/tmp/iam2sso-bench-sync-${process.pid}.db`;
  const flags: SyncFlags = {
    state,
    groupFilter: 'AWS-bench-',
    dryRun: false,
    full: false,
    rate: 0,
    concurrency: Number(values.concurrency),
    json: false,
    progress: false,
  };
  const context = {
    env: {
      AZURE_TENANT_ID: info.tenantId,
      AZURE_CLIENT_ID: info.clientId,
      AZURE_CLIENT_SECRET: info.clientSecret,
      AZURE_AUTHORITY_HOST: info.authorityHost,
      IAM2SSO_GRAPH_ENDPOINT: info.graphEndpoint,
    },
    extraCaPem: [info.tlsCertificatePem],
    aws: {
      endpoint: sandbox.info.endpoint,
      region: sandbox.info.region,
      credentials: sandbox.info.credentials,
    },
  };
  const io = { out: () => undefined, err: () => undefined, isTty: false };
  try {
    console.log(
      `Tenant: ${USERS} users, ${GROUPS} groups (${GROUPS / 10} with a nested group), ${MEMBERSHIPS} direct memberships; scope AWS-bench-*`,
    );
    console.log(
      'Rate limits: off on both sides (sandbox Identity Store unlimited, client --rate 0): this measures the engine.',
    );
    let t = performance.now();
    const initial = await runSyncCommand(flags, io, context);
    const initialS = (performance.now() - t) / 1000;
    const writes = initial.writes;
    const reads = 2 + Math.ceil(users.length / 999) + Math.ceil(groups.length / 999);
    console.log(
      `\nInitial sync: ${initialS.toFixed(1)} s, ${writes} Identity Store writes ` +
        `(${initial.counts.users.create} users, ${initial.counts.groups.create} groups, ${initial.counts.memberships.add} flattened memberships)`,
    );
    console.log(
      `  Lower bound at Identity Center's ${IDENTITY_CENTER_RPS} requests/s: ${writes} writes / ${IDENTITY_CENTER_RPS} = ${(writes / IDENTITY_CENTER_RPS).toFixed(0)} s ` +
        `(${(writes / IDENTITY_CENTER_RPS / 60).toFixed(1)} min); the engine alone took ${((initialS / (writes / IDENTITY_CENTER_RPS)) * 100).toFixed(1)}% of that.`,
    );
    console.log(`  (plus ~${reads} Graph and Identity Store list pages, not rate-bound by the Identity Store)`);

    const described = makeChanges(entra, users, groups, sandbox.world.clock.now(), rng);
    t = performance.now();
    const incremental = await runSyncCommand(flags, io, context);
    const incrementalS = (performance.now() - t) / 1000;
    const c = incremental.counts;
    console.log(
      `\nIncremental sync of ${CHANGES} Entra changes (${described}): ${incrementalS.toFixed(2)} s (target: under 10 s)`,
    );
    console.log(
      `  ${incremental.writes} writes: users +${c.users.create} deactivated ${c.users.deactivate}; memberships +${c.memberships.add} -${c.memberships.remove}; mode ${incremental.mode.kind}`,
    );
    console.log(
      `  At ${IDENTITY_CENTER_RPS} requests/s those writes alone take ${(incremental.writes / IDENTITY_CENTER_RPS).toFixed(1)} s.`,
    );
  } finally {
    await sandbox.close();
  }
}

await main();
