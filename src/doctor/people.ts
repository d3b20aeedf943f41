/**
 * The people and provisioning checks of `iam2sso doctor`, pure: who is assigned to the enterprise app (directly or
 * through a group, and whether only through a nested group, which Entra neither signs in nor provisions), whether
 * each is enabled, has a given name, surname and email (Identity Center requires them), is provisioned to the
 * Identity Store under a userName equal to the UPN, and whether Identity Store users have any account assignment
 * (the portal's "no accounts"); and the state of provisioning (Entra's job or iam2sso's own sync).
 */
import type { EntraUser, SyncJob } from '../entra/ports.js';
import { type Check, check } from './checks.js';

export type AppAudience = {
  directUserIds: string[];
  groups: { id: string; displayName: string; directUserIds: string[]; transitiveUserIds: string[] }[];
};

export type StoreUserFacts = { id: string; userName: string; emails: string[]; externalIds: string[] };

const SHOWN = 10;

function listed(names: string[]): string {
  const head = names.slice(0, SHOWN).join(', ');
  return names.length > SHOWN ? `${head} and ${names.length - SHOWN} more` : head;
}

function finding(
  id: string,
  status: 'warning' | 'error',
  names: string[],
  title: string,
  okTitle: string,
  fix: string,
): Check {
  return names.length
    ? check(id, 'people', status, `${names.length} ${title}`, listed(names), fix)
    : check(id, 'people', 'ok', okTitle, 'none');
}

/** The people checks. */
export function peopleChecks(
  users: EntraUser[],
  audience: AppAudience,
  store: StoreUserFacts[],
  assignedStoreUserIds: Set<string>,
): Check[] {
  const byId = new Map(users.map((u) => [u.id, u]));
  const direct = new Set([...audience.directUserIds, ...audience.groups.flatMap((g) => g.directUserIds)]);
  const nestedOnly = new Set(audience.groups.flatMap((g) => g.transitiveUserIds).filter((id) => !direct.has(id)));
  const assigned = [...direct].map((id) => byId.get(id)).filter((u): u is EntraUser => Boolean(u));
  const enabled = assigned.filter((u) => u.accountEnabled);
  const byName = new Map(store.map((s) => [s.userName, s]));
  const mismatched: string[] = [];
  const missing: string[] = [];
  for (const u of enabled) {
    if (byName.has(u.userPrincipalName)) continue;
    const near = store.find(
      (s) =>
        s.externalIds.includes(u.id) ||
        s.userName.toLowerCase() === u.userPrincipalName.toLowerCase() ||
        s.emails.some((e) => e.toLowerCase() === (u.mail ?? u.userPrincipalName).toLowerCase()),
    );
    if (near) mismatched.push(`${u.userPrincipalName} (Identity Center: ${near.userName})`);
    else missing.push(u.userPrincipalName);
  }
  return [
    finding(
      'people.upn-mismatch',
      'error',
      mismatched,
      'people whose UPN differs from their Identity Center user name',
      'every UPN matches its Identity Center user name',
      'make the Identity Center user name equal to the UPN (the SAML NameID), then iam2sso sync',
    ),
    finding(
      'people.not-provisioned',
      'error',
      missing,
      'people assigned to the app but not in the Identity Store',
      'everyone assigned is provisioned',
      'iam2sso sync --plan migration-plan.yaml, or start Entra provisioning',
    ),
    finding(
      'people.nested-groups',
      'error',
      [...nestedOnly].map((id) => byId.get(id)?.userPrincipalName ?? id),
      'people reach the app only through nested groups (Entra ignores them)',
      'nobody depends on a nested group',
      'add them directly to an assigned group (iam2sso sync flattens groups for the Identity Store, but Entra sign-in needs a direct assignment)',
    ),
    finding(
      'people.disabled',
      'warning',
      assigned.filter((u) => !u.accountEnabled).map((u) => u.userPrincipalName),
      'disabled people are assigned to the app',
      'no disabled person is assigned',
      'remove leavers from the groups (iam2sso plan, apply), or re-enable them in Entra',
    ),
    finding(
      'people.attributes',
      'warning',
      enabled.filter((u) => !u.givenName || !u.surname || !u.mail).map((u) => u.userPrincipalName),
      'people lack a given name, surname or email (provisioning fails for them)',
      'every assigned person has a given name, surname and email',
      'fill in the missing attributes in Entra',
    ),
    finding(
      'people.no-accounts',
      'warning',
      store.filter((s) => !assignedStoreUserIds.has(s.id)).map((s) => s.userName),
      'Identity Center users have no account assignment (the portal shows "no accounts")',
      'every Identity Center user has an account',
      'give them access in the plan (iam2sso plan), then iam2sso apply',
    ),
  ];
}

/** Provisioning: Entra's synchronization jobs, or the freshness of iam2sso's own sync. */
export function provisioningChecks(jobs: SyncJob[], lastSyncAt: string | null, now: Date): Check[] {
  const out: Check[] = [];
  for (const job of jobs) {
    if (job.quarantined)
      out.push(
        check(
          'provisioning.quarantine',
          'provisioning',
          'error',
          'Entra provisioning is in quarantine',
          `job ${job.id}`,
          'fix the SCIM endpoint or token (they expire after a year: generate a new one in Identity Center and save it with iam2sso entra setup --replace-scim-credentials), then restart the job',
        ),
      );
    else if ((job.lastExecutionState ?? '').toLowerCase() === 'failed')
      out.push(
        check(
          'provisioning.last-cycle',
          'provisioning',
          'error',
          'the last provisioning cycle failed',
          `job ${job.id}`,
          'read the provisioning logs in Entra; a 401 means the SCIM token expired',
        ),
      );
    else if (!/active/i.test(job.scheduleState))
      out.push(
        check(
          'provisioning.state',
          'provisioning',
          'warning',
          `Entra provisioning is ${job.scheduleState}`,
          `job ${job.id}`,
          'start provisioning in Entra (Provisioning > Start provisioning)',
        ),
      );
    else
      out.push(
        check(
          'provisioning.state',
          'provisioning',
          'ok',
          'Entra provisioning is running',
          `job ${job.id}, last cycle ${job.lastExecutionState ?? 'not yet run'}`,
        ),
      );
  }
  if (jobs.length) return out;
  if (!lastSyncAt)
    return [
      check(
        'provisioning.sync',
        'provisioning',
        'warning',
        'nothing provisions the Identity Store',
        'no Entra provisioning job and no iam2sso sync run in the state database',
        'iam2sso sync --plan migration-plan.yaml --watch 40m, or iam2sso entra setup --scim-endpoint URL',
      ),
    ];
  const hours = (now.getTime() - Date.parse(lastSyncAt)) / 3_600_000;
  return [
    hours > 24
      ? check(
          'provisioning.sync',
          'provisioning',
          'warning',
          'iam2sso sync is stale',
          `last run ${lastSyncAt} (${Math.round(hours)} hours ago)`,
          'run iam2sso sync (or --watch) so leavers and joiners reach Identity Center',
        )
      : check('provisioning.sync', 'provisioning', 'ok', 'iam2sso sync is fresh', `last run ${lastSyncAt}`),
  ];
}
