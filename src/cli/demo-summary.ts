/**
 * The demo's closing summary: what the audit found, what apply and sync created, who can now sign in through
 * SSO (people, accounts, permission sets, read from the sandbox's Identity Center), and where the report is.
 */
import type { RunningSandbox } from '@iam2sso/sandbox';
import { AWS_GALLERY_TEMPLATE_ID } from '@iam2sso/sandbox/entra/synchronization/aws-template.js';
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
  /** People with an assignment whose sign-in path is missing a link. */
  blocked: BlockedRow[];
  report: string | null;
  plan: string;
  state: string;
  steps: { step: string; ok: boolean; seconds: number }[];
};

/** Someone with an assignment who cannot sign in yet, and the first missing link of the path. */
export type BlockedRow = { userName: string; missing: string };

/**
 * Who can sign in through the AWS access portal, and where: only people whose whole path exists, namely an
 * enabled Entra user, in an Entra group assigned to the Identity Center enterprise app, the Identity Store user,
 * its group, an account assignment to that group (or to the user), and the permission set provisioned to that
 * account. People with an assignment but a missing link are returned as `blocked` with the link.
 */
export function signInPaths(sandbox: RunningSandbox): { canSignIn: SignInRow[]; blocked: BlockedRow[] } {
  const sso = sandbox.world.sso;
  if (!sso) return { canSignIn: [], blocked: [] };
  const entra = sandbox.world.entra;
  const accounts = new Map(sandbox.info.accounts.map((a) => [a.id, a.name]));
  const entraUsers = new Map([...(entra?.users.values() ?? [])].map((u) => [u.userPrincipalName.toLowerCase(), u]));
  const appGroups = new Set<string>();
  for (const sp of entra?.servicePrincipals.values() ?? [])
    if (sp.applicationTemplateId === AWS_GALLERY_TEMPLATE_ID && !sp.deletedDateTime)
      for (const a of sp.appRoleAssignedTo) if (a.principalType === 'Group') appGroups.add(a.principalId);
  const missingLink = (userName: string): string | null => {
    const person = entraUsers.get(userName.toLowerCase());
    if (!person || person.deletedDateTime) return 'no Entra user';
    if (!person.accountEnabled) return 'the Entra user is disabled';
    const inAppGroup = [...appGroups].some((g) => entra?.groups.get(g)?.members.has(person.id));
    return inAppGroup ? null : 'not in a group assigned to the Identity Center app in Entra (app assignment skipped?)';
  };
  const rows = new Map<string, SignInRow>();
  const blocked = new Map<string, BlockedRow>();
  const grant = (userId: string, accountId: string, permissionSetArn: string) => {
    const user = sso.users.get(userId);
    if (!user) return;
    const ps = sso.permissionSets.get(permissionSetArn);
    const missing = !user.active
      ? 'the Identity Store user is inactive'
      : !ps?.provisionedRevision.has(accountId)
        ? `permission set not provisioned to ${accountId}`
        : missingLink(user.userName);
    if (missing) {
      if (!rows.has(userId)) blocked.set(userId, { userName: user.userName, missing });
      return;
    }
    blocked.delete(userId);
    const account = `${accounts.get(accountId) ?? accountId} (${accountId})`;
    const row = rows.get(userId) ?? { userName: user.userName, access: [] };
    if (!row.access.some((a) => a.account === account && a.permissionSet === ps!.name))
      row.access.push({ account, permissionSet: ps!.name });
    rows.set(userId, row);
  };
  for (const a of sso.assignments) {
    if (a.principalType === 'USER') grant(a.principalId, a.accountId, a.permissionSetArn);
    else
      for (const m of sso.memberships.values())
        if (m.groupId === a.principalId) grant(m.userId, a.accountId, a.permissionSetArn);
  }
  const byName = <T extends { userName: string }>(x: T, y: T) => (x.userName < y.userName ? -1 : 1);
  return { canSignIn: [...rows.values()].sort(byName), blocked: [...blocked.values()].sort(byName) };
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
  if (s.blocked.length > 0) {
    out(`Not yet (${s.blocked.length} people with an assignment and a missing link)`);
    for (const row of s.blocked.slice(0, 5)) out(`  ${row.userName}: ${row.missing}`);
  }
  out('');
  if (s.report) out(`HTML report: ${s.report}`);
  out(`Migration plan: ${s.plan}   State database: ${s.state}`);
  const failed = s.steps.filter((x) => !x.ok);
  if (failed.length > 0)
    out(`Steps that did not finish: ${failed.map((x) => x.step).join(', ')} (see the output above).`);
  out(`See it in a browser: iam2sso dashboard --state ${s.state} --plan ${s.plan}`);
  out('Next: read the plan, then try it on your own organization: iam2sso audit (with your AWS credentials).');
}
