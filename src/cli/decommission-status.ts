/**
 * `iam2sso decommission status`: every IAM user the plan retires, its stage and the date it entered it, its last
 * legacy use as `track` recorded it, and what blocks the next stage. Reads the state database; Identity Center is
 * read only when a user waits for `delete` (its SSO proof is part of what may block it).
 */

import { cloudNow } from '../aws/iam-user-reads.js';
import { blockersFor, lastLegacyUse, nextCommand } from '../core/decommission.js';
import type { Blocker, LegacyUse } from '../core/decommission-types.js';
import { openStateDb } from '../store/db.js';
import { directSamlUses } from '../store/direct-saml-repo.js';
import { loadSamlStages } from '../store/saml-retire-repo.js';
import {
  type DecommissionFlags,
  decommissionSettings,
  keyOf,
  openIam,
  readEvidence,
  readPlan,
  selectUsers,
} from './decommission-context.js';
import { readSsoProof } from './decommission-sso.js';
import { type Io, printJson } from './io.js';

/** One row of the status. */
export type StatusRow = {
  accountId: string;
  userName: string;
  upn: string | null;
  action: string;
  stage: string;
  since: string | null;
  lastLegacyUse: LegacyUse | null;
  next: string | null;
  blockers: Blocker[];
};

/** Prints the status of the retired users. */
export async function runStatus(flags: DecommissionFlags, io: Io): Promise<void> {
  const plan = readPlan(flags.plan);
  const users = selectUsers(plan, flags, false);
  const db = await openStateDb(flags.state);
  try {
    const evidence = readEvidence(db);
    const waiting = users.filter((u) => {
      const stage = evidence.stages.get(keyOf(u))?.stage;
      return stage === 'keys-deactivated' || stage === 'deleting';
    });
    let now = new Date();
    let sso = new Map();
    if (waiting.length > 0) {
      const { settings, iam } = await openIam(flags, io, true);
      try {
        now = cloudNow(await iam.iamFor(waiting[0].accountId));
        sso = await readSsoProof({
          plan,
          db,
          settings,
          assumeRole: flags.assumeRole,
          users: waiting,
          firstSso: evidence.firstSso,
        });
        now = cloudNow(await iam.iamFor(waiting[0].accountId));
      } finally {
        iam.close();
      }
    }
    const settings = decommissionSettings(flags.config);
    const rows: StatusRow[] = users.map((u) => {
      const record = evidence.stages.get(keyOf(u)) ?? null;
      const stage = record?.stage ?? 'active';
      const next = nextCommand(stage);
      const legacy = evidence.legacy.get(keyOf(u)) ?? [];
      return {
        accountId: u.accountId,
        userName: u.userName,
        upn: u.upn,
        action: u.action,
        stage,
        since: record?.enteredAt ?? null,
        lastLegacyUse: lastLegacyUse(legacy),
        next,
        blockers: next
          ? blockersFor(next, {
              user: u,
              record,
              now,
              settings,
              legacy,
              tracked: evidence.tracked,
              sso: sso.get(keyOf(u)) ?? null,
            })
          : [],
      };
    });
    // Direct SAML federation (Entra's per-account app) is retired after the last person who still signs in with it.
    const federation = directSamlUses(db);
    // Where `decommission saml` stands for each (account, role) it moved on.
    const samlStages = [...loadSamlStages(db).values()];
    if (flags.json)
      return printJson(io, {
        now: now.toISOString(),
        watchDays: settings.watchDays,
        users: rows,
        directSaml: federation,
        directSamlStages: samlStages,
      });
    for (const r of samlStages)
      io.out(`direct SAML ${r.accountId}/${r.role}: ${r.stage} since ${r.enteredAt.slice(0, 10)} (decommission saml)`);
    for (const d of federation)
      io.out(
        `direct SAML ${d.accountId}/${d.role}: still used by ${d.upn} (last ${d.lastTime.slice(0, 10)}, event ${d.lastEventId})`,
      );
    if (rows.length === 0) return io.err(`The plan ${flags.plan} retires no IAM user.`);
    for (const r of rows) {
      const last = r.lastLegacyUse
        ? `last legacy use ${r.lastLegacyUse.lastTime.slice(0, 10)} (${r.lastLegacyUse.via})`
        : 'no legacy use seen';
      io.out(`${r.accountId}/${r.userName}  ${r.stage}${r.since ? ` since ${r.since.slice(0, 10)}` : ''}  ${last}`);
      if (r.next) io.out(`  next: --stage ${r.next}${r.blockers.length ? '' : ' (ready)'}`);
      for (const b of r.blockers) io.out(`  blocked (${b.id}): ${b.message}`);
    }
  } finally {
    db.close();
  }
}
