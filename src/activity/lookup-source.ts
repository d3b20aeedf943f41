/**
 * LookupEvents across the organization: every account reached as the audit does (the caller's account with its
 * own credentials, the others through --assume-role), every region asked, each account and region with its own
 * 2-requests-per-second limiter, accounts in parallel.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { assumeRoleCredentials, type DiscoveredAccount, discoverAccounts, roleArn } from '../aws/accounts.js';
import { type AwsSettings, createAccountClients, createBaseClients, destroyClients } from '../aws/clients.js';
import { mapLimit } from '../aws/fan-out.js';
import { ActivityAggregator } from '../core/track-records.js';
import type { ActivityRow } from '../core/track-types.js';
import type { TrackCursor } from '../store/track-repo.js';
import { limitClient, lookupsFor, RateLimiter, readLookups } from './lookup-events.js';

/** How to read. */
export type LookupSourceOptions = {
  assumeRole: string;
  accounts?: string[];
  regions: string[];
  since: Date;
  until: Date;
  cursors: TrackCursor[];
  /** IAM user names per account (one Username lookup each). */
  userNames: Map<string, string[]>;
  concurrency: number;
  sleep: (ms: number) => Promise<void>;
};

/** Progress callbacks. */
export type LookupSourceEvents = {
  accountsFound(accounts: DiscoveredAccount[]): void;
  progress(accountId: string, calls: number, totalCalls: number): void;
  accountDone(accountId: string, outcome: { events: number; calls: number } | { error: string }): void;
};

/** What the organization's LookupEvents gave. */
export type LookupSourceResult = {
  rows: ActivityRow[];
  events: number;
  calls: number;
  cursors: TrackCursor[];
  skipped: { where: string; problem: string; count: number }[];
  /** With a region: that region of the account failed (its other regions were read); without: the account. */
  unreachable: { accountId: string; region?: string; error: string }[];
};

function describe(error: unknown): string {
  const e = error as Error & { $metadata?: { requestId?: string } };
  return `${e.name ?? 'Error'}: ${e.message}${e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : ''}`;
}

/** Reads every account and region. */
export async function readLookupSource(
  settings: AwsSettings,
  options: LookupSourceOptions,
  events: LookupSourceEvents,
): Promise<LookupSourceResult> {
  const base = createBaseClients(settings);
  const out: LookupSourceResult = { rows: [], events: 0, calls: 0, cursors: [], skipped: [], unreachable: [] };
  const aggregate = new ActivityAggregator();
  const cursors = new Map(options.cursors.map((c) => [`${c.accountId}|${c.region}|${c.scope}`, c]));
  try {
    const found = await discoverAccounts(base.sts, base.organizations);
    const wanted = options.accounts?.length ? new Set(options.accounts) : null;
    const accounts = found.accounts.filter((a) => a.status === 'ACTIVE' && (!wanted || wanted.has(a.id)));
    events.accountsFound(accounts);
    await mapLimit(accounts, options.concurrency, async (account) => {
      try {
        const credentials =
          account.id === found.callerAccountId
            ? settings.credentials
            : await assumeRoleCredentials(
                base.sts,
                roleArn(found.partition, account.id, options.assumeRole),
                'iam2sso-track',
              );
        const lookups = lookupsFor(options.userNames.get(account.id) ?? []);
        let calls = 0;
        let read = 0;
        const failed: string[] = [];
        for (const region of options.regions) {
          const clients = createAccountClients({ ...settings, region }, credentials);
          try {
            const client: CloudTrailClient = limitClient(clients.cloudtrail, new RateLimiter(2, options.sleep));
            const r = await readLookups(client, lookups, aggregate, {
              accountId: account.id,
              region,
              since: options.since,
              until: options.until,
              cursors,
              onPage: () => events.progress(account.id, ++calls, lookups.length * options.regions.length),
            });
            read += r.events;
            out.calls += r.calls;
            out.cursors.push(...r.cursors);
            out.skipped.push(...r.skipped);
          } catch (error) {
            // One region failing leaves the others read: coverage is recorded per account and region.
            out.unreachable.push({ accountId: account.id, region, error: describe(error) });
            failed.push(`${region}: ${describe(error)}`);
          } finally {
            destroyClients(clients);
          }
        }
        out.events += read;
        if (failed.length) events.accountDone(account.id, { error: failed.join('; ') });
        else events.accountDone(account.id, { events: read, calls });
      } catch (error) {
        out.unreachable.push({ accountId: account.id, error: describe(error) });
        events.accountDone(account.id, { error: describe(error) });
      }
    });
  } finally {
    destroyClients(base);
  }
  out.rows = aggregate.rows();
  return out;
}
