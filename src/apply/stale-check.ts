/**
 * Refuses a stale plan: re-reads the plan's accounts with the audit's own collector (no CloudTrail), recomputes
 * the fingerprint and, for each account that moved, says what moved (by comparing with the snapshot the plan was
 * made from, when the state database still has it).
 */
import { collectAudit } from '../aws/audit-collector.js';
import type { AwsSettings } from '../aws/clients.js';
import { fingerprintSnapshot } from '../core/plan-fingerprint.js';
import type { PlanFingerprint } from '../core/plan-types.js';
import { describeStalePlan } from '../core/reconcile/stale.js';
import { loadAuditRun } from '../store/audit-repo.js';
import type { StateDb } from '../store/db.js';

export type StaleOptions = { assumeRole: string; concurrency: number };

/** Accounts that moved since the plan, with what moved; empty when the plan is current. */
export async function findStaleAccounts(
  fingerprint: PlanFingerprint,
  settings: AwsSettings,
  db: StateDb | null,
  options: StaleOptions,
): Promise<{ accountId: string; moved: string[] }[]> {
  const planned = db ? loadAuditRun(db, fingerprint.runId) : null;
  const meta = (planned?.meta.options ?? {}) as { keyIds?: boolean; assumeRole?: string };
  const now = new Date();
  const snapshot = await collectAudit(
    settings,
    {
      runId: `apply-check-${now.getTime()}`,
      assumeRole: meta.assumeRole ?? options.assumeRole,
      accounts: fingerprint.accounts.map((a) => a.accountId),
      concurrency: options.concurrency,
      keyIds: meta.keyIds ?? true,
      sshKeys: false,
      activity: false,
      activityDays: 1,
      userConcurrency: 4,
      now: () => now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
    { accountsFound() {}, progress() {}, accountDone() {} },
  );
  return describeStalePlan(fingerprint, fingerprintSnapshot(snapshot), planned?.snapshot ?? null, snapshot);
}

/**
 * Reads accounts outside the plan again with the audit's collector (IAM, no CloudTrail): the ones read completely are
 * returned in `read`, the others in `unread` with why. An owned object in an account that left the plan is deleted only
 * when the account is read now.
 */
export async function readAccountsNow(
  accountIds: string[],
  settings: AwsSettings,
  options: StaleOptions,
): Promise<{ read: string[]; unread: Map<string, string> }> {
  const now = new Date();
  const snapshot = await collectAudit(
    settings,
    {
      runId: `apply-read-${now.getTime()}`,
      assumeRole: options.assumeRole,
      accounts: accountIds,
      concurrency: options.concurrency,
      keyIds: false,
      sshKeys: false,
      activity: false,
      activityDays: 1,
      userConcurrency: 4,
      now: () => now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
    { accountsFound() {}, progress() {}, accountDone() {} },
  );
  const byId = new Map(snapshot.accounts.map((a) => [a.accountId, a]));
  const read: string[] = [];
  const unread = new Map<string, string>();
  for (const id of accountIds) {
    const a = byId.get(id);
    if (a?.status === 'ok') read.push(id);
    else unread.set(id, a ? (a.error ?? `read ${a.status}`) : 'not found in the organization');
  }
  return { read, unread };
}
