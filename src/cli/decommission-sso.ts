/**
 * The SSO proof `delete` needs for a person: the assignments Identity Center gives them in the user's account, what
 * `verify` finds wrong for the user (the same reads and comparison as `iam2sso verify`), and the first SSO sign-in
 * `track` saw.
 */
import type { AwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { loadActionCatalog } from '../catalog/action-catalog.js';
import { awsManagedDocuments } from '../catalog/managed-policies.js';
import { isPerson } from '../core/decommission.js';
import type { SsoProof } from '../core/decommission-types.js';
import type { MigrationPlan, PlannedUser } from '../core/plan-types.js';
import { createPolicyCompiler } from '../core/policy/compile.js';
import { createExpander } from '../core/policy/expand.js';
import { loadAuditRun } from '../store/audit-repo.js';
import type { StateDb } from '../store/db.js';
import { readLiveFacts } from '../verify/read-live.js';
import { createVerifyRuntime } from '../verify/runtime.js';
import { verifyPlan } from '../verify/verify-plan.js';
import { keyOf } from './decommission-context.js';

/** The SSO proof of each person among `users` (by `account/user`); an empty map when none is a person. */
export async function readSsoProof(input: {
  plan: MigrationPlan;
  db: StateDb;
  settings: AwsSettings;
  assumeRole: string;
  users: PlannedUser[];
  firstSso: Map<string, string>;
}): Promise<Map<string, SsoProof>> {
  const people = input.users.filter(isPerson);
  const out = new Map<string, SsoProof>();
  if (people.length === 0) return out;
  const run = loadAuditRun(input.db, input.plan.fingerprint.runId);
  const runtime = createVerifyRuntime(input.settings, input.assumeRole);
  try {
    const live = await readLiveFacts(input.plan, runtime.readers, (id) => runtime.iam.iamFor(id)).catch((e) => {
      throw toCloudError(e, 'sso');
    });
    const report = run
      ? verifyPlan({
          plan: input.plan,
          snapshot: run.snapshot,
          facts: live.facts,
          roles: live.roles,
          compiler: createPolicyCompiler(createExpander(await loadActionCatalog())),
          lookup: awsManagedDocuments,
        })
      : null;
    const verified = new Map((report?.users ?? []).map((u) => [keyOf(u), u]));
    for (const u of people) {
      const v = verified.get(keyOf(u));
      out.set(keyOf(u), {
        assigned: v?.assigned ?? [],
        verifyProblems: v ? v.problems : null,
        firstSsoSignIn: input.firstSso.get((u.upn ?? '').toLowerCase()) ?? null,
      });
    }
    return out;
  } finally {
    runtime.close();
  }
}
