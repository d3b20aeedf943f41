/**
 * The demo's closing summary: what the audit found, what apply and sync created, who can now sign in through
 * SSO (people, accounts, permission sets, read from the sandbox's Identity Center), and where the report is.
 */
import type { RunningSandbox } from '@iam2sso/sandbox';
import type { Io } from './io.js';

/** One person who can sign in through the AWS access portal, and where. */
export type SignInRow = { userName: string; access: { account: string; permissionSet: string }[] };

export type DemoSummary = {
  found: {
    accounts: number;
    users: number;
    byCategory: Record<string, number>;
    topFindings: { kind: string; count: number }[];
  };
  created: { permissionSets: number; groups: number; assignments: number; usersSynced: number; memberships: number };
  canSignIn: SignInRow[];
  report: string | null;
  plan: string;
  state: string;
  steps: { step: string; ok: boolean; seconds: number }[];
};

/** Who holds an account assignment through a group (or directly) in the sandbox's Identity Center. */
export function signInRows(sandbox: RunningSandbox): SignInRow[] {
  const sso = sandbox.world.sso;
  if (!sso) return [];
  const accounts = new Map(sandbox.info.accounts.map((a) => [a.id, a.name]));
  const rows = new Map<string, SignInRow>();
  const grant = (userId: string, account: string, permissionSet: string) => {
    const user = sso.users.get(userId);
    if (!user) return;
    const row = rows.get(userId) ?? { userName: user.userName, access: [] };
    if (!row.access.some((a) => a.account === account && a.permissionSet === permissionSet))
      row.access.push({ account, permissionSet });
    rows.set(userId, row);
  };
  for (const a of sso.assignments) {
    const account = `${accounts.get(a.accountId) ?? a.accountId} (${a.accountId})`;
    const ps = sso.permissionSets.get(a.permissionSetArn)?.name ?? a.permissionSetArn;
    if (a.principalType === 'USER') grant(a.principalId, account, ps);
    else for (const m of sso.memberships.values()) if (m.groupId === a.principalId) grant(m.userId, account, ps);
  }
  return [...rows.values()].sort((x, y) => (x.userName < y.userName ? -1 : 1));
}

/** Prints the summary for a newcomer. */
export function printDemoSummary(io: Io, s: DemoSummary): void {
  const out = (line = '') => io.out(line);
  out('');
  out('What iam2sso found (audit)');
  out(`  ${s.found.users} IAM users in ${s.found.accounts} AWS accounts:`);
  for (const [category, n] of Object.entries(s.found.byCategory)) out(`    ${String(n).padStart(4)}  ${category}`);
  if (s.found.topFindings.length > 0) {
    out('  Top findings:');
    for (const f of s.found.topFindings) out(`    ${String(f.count).padStart(4)}  ${f.kind}`);
  }
  out('');
  out('What it created (apply + sync)');
  out(
    `  ${s.created.permissionSets} permission sets, ${s.created.groups} groups, ${s.created.assignments} account assignments`,
  );
  out(
    `  ${s.created.usersSynced} Entra users synced into Identity Center, in ${s.created.memberships} group memberships`,
  );
  out('');
  out(`Who can now sign in through SSO (${s.canSignIn.length} people)`);
  for (const row of s.canSignIn.slice(0, 15)) {
    const access = row.access.map((a) => `${a.permissionSet} on ${a.account}`).join('; ');
    out(`  ${row.userName}: ${access}`);
  }
  if (s.canSignIn.length > 15) out(`  ... and ${s.canSignIn.length - 15} more`);
  out('');
  if (s.report) out(`HTML report: ${s.report}`);
  out(`Migration plan: ${s.plan}   State database: ${s.state}`);
  const failed = s.steps.filter((x) => !x.ok);
  if (failed.length > 0)
    out(`Steps that did not finish: ${failed.map((x) => x.step).join(', ')} (see the output above).`);
  out(`See it in a browser: iam2sso dashboard --state ${s.state} --plan ${s.plan}`);
  out('Next: read the plan, then try it on your own organization: iam2sso audit (with your AWS credentials).');
}
