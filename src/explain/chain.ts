/**
 * Why can (or can't) this person sign in? Follows one person through every link the field guide's troubleshooting
 * table names, in the order a sign-in crosses them: the Entra user (enabled), the enterprise app's assignment
 * (directly or through a group they are a direct member of: Entra does not honour nested groups), the app's SAML
 * signing certificate, the Identity Store user whose userName equals the UPN (the assertion's NameID), their
 * Identity Store groups, account assignments, permission sets, the AWSReservedSSO_ roles in the accounts, and the
 * sign-ins seen. Pure: the facts are read elsewhere; time is passed in. Stops at the first broken link with its
 * cause and the command that fixes it.
 */

export type LinkStatus = 'ok' | 'broken' | 'warning' | 'skipped';

/** One link of the chain. */
export type Link = { id: LinkId; title: string; status: LinkStatus; detail: string; cause?: string; fix?: string };

export type LinkId =
  | 'entra-user'
  | 'app-assignment'
  | 'saml-certificate'
  | 'identity-store-user'
  | 'identity-store-groups'
  | 'account-assignments'
  | 'permission-sets'
  | 'reserved-roles'
  | 'sign-ins';

/** What was read about the person, from Entra and AWS. */
export type ExplainFacts = {
  upn: string;
  entraUser: { id: string; upn: string; enabled: boolean } | null;
  app: { displayName: string; assignedUserIds: string[]; assignedGroups: AppGroup[] } | null;
  /** The app's token signing certificates (the preferred one first when known). */
  certificates: { thumbprint: string; endDateTime: string; active: boolean }[];
  storeUser: { id: string; userName: string } | null;
  /** An Identity Store user that is this person under another user name (same email or external id). */
  storeNearMatch: { userName: string; matchedBy: string } | null;
  storeGroups: string[];
  assignments: { accountId: string; permissionSet: string; via: string }[];
  /** Account id and permission set name to the role provisioned there (null when it is missing). */
  roles: { accountId: string; permissionSet: string; roleName: string | null }[];
  /** Sign-ins seen for the Identity Center user; null when there is no data to look in. */
  signIns: { count: number; last: string | null; source: string } | null;
};

/** A group assigned to the app, and how the person belongs to it. */
export type AppGroup = { id: string; displayName: string; membership: 'direct' | 'nested' | 'none' };

export type Explanation = { upn: string; ok: boolean; brokenAt: LinkId | null; links: Link[] };

const DAY = 86_400_000;

type Step = (f: ExplainFacts, now: Date, account?: string) => Link;

const entraUser: Step = (f) => {
  const title = 'Entra user';
  if (!f.entraUser)
    return broken(
      'entra-user',
      title,
      `no Entra user has the UPN ${f.upn}`,
      'the person has no Entra account, or the UPN is spelled differently',
      `check the UPN in the plan: iam2sso plan --directory-lookup`,
    );
  if (!f.entraUser.enabled)
    return broken(
      'entra-user',
      title,
      `${f.entraUser.upn} is disabled in Entra`,
      'Entra refuses a disabled account (AADSTS50057)',
      're-enable the account in Entra (Users > the person > Edit properties > Account enabled); if they left, this is expected',
    );
  return ok('entra-user', title, `${f.entraUser.upn} is enabled`);
};

const appAssignment: Step = (f) => {
  const title = 'enterprise app assignment';
  if (!f.app)
    return broken(
      'app-assignment',
      title,
      'the AWS IAM Identity Center enterprise app is not set up in Entra',
      'no app to sign in through',
      'iam2sso entra setup --sp-metadata FILE',
    );
  const userId = f.entraUser!.id;
  if (f.app.assignedUserIds.includes(userId))
    return ok('app-assignment', title, `assigned directly to ${f.app.displayName}`);
  const direct = f.app.assignedGroups.filter((g) => g.membership === 'direct');
  if (direct.length)
    return ok('app-assignment', title, `assigned through ${direct.map((g) => g.displayName).join(', ')}`);
  const nested = f.app.assignedGroups.filter((g) => g.membership === 'nested');
  if (nested.length) {
    const names = nested.map((g) => g.displayName).join(', ');
    return broken(
      'app-assignment',
      title,
      `only a member of ${names} through a nested group`,
      'Entra neither signs in nor provisions members of nested groups (AADSTS50105)',
      `add ${f.upn} directly to ${nested[0].displayName} in Entra, or assign the group they are a direct member of to the app`,
    );
  }
  return broken(
    'app-assignment',
    title,
    `${f.upn} is not assigned to ${f.app.displayName}`,
    'Entra blocks users not assigned to the app (AADSTS50105)',
    "put the person in one of the plan's groups (iam2sso plan), then iam2sso apply assigns the groups to the app",
  );
};

const certificate: Step = (f, now) => {
  const title = 'SAML signing certificate';
  const active = f.certificates.find((c) => c.active) ?? f.certificates[0];
  if (!active)
    return broken(
      'saml-certificate',
      title,
      'the app has no SAML signing certificate',
      'Entra cannot sign the assertion',
      'iam2sso entra setup (adds a certificate and makes it active)',
    );
  const ends = Date.parse(active.endDateTime);
  if (ends <= now.getTime())
    return broken(
      'saml-certificate',
      title,
      `certificate ${active.thumbprint} expired on ${active.endDateTime.slice(0, 10)}`,
      'assertions signed with an expired certificate are refused',
      'add a new certificate and make it active (iam2sso entra setup), then upload the new federation metadata in Identity Center (Settings > Identity source > Manage authentication)',
    );
  const days = Math.floor((ends - now.getTime()) / DAY);
  if (days < 60)
    return warning(
      'saml-certificate',
      title,
      `certificate ${active.thumbprint} expires in ${days} days`,
      'plan the rollover: iam2sso doctor lists the steps',
    );
  return ok(
    'saml-certificate',
    title,
    `certificate ${active.thumbprint} valid until ${active.endDateTime.slice(0, 10)}`,
  );
};

const storeUser: Step = (f) => {
  const title = 'Identity Store user';
  if (f.storeUser)
    return ok(
      'identity-store-user',
      title,
      `provisioned as ${f.storeUser.userName} (matches the UPN, the assertion's NameID)`,
    );
  if (f.storeNearMatch)
    return broken(
      'identity-store-user',
      title,
      `Identity Center has this person as ${f.storeNearMatch.userName} (same ${f.storeNearMatch.matchedBy}), not ${f.upn}`,
      'the NameID Entra sends (the UPN) matches no Identity Center user name: AWS shows its generic error page',
      `make them equal: change the Identity Center user name to ${f.upn} (or the UPN in Entra), then iam2sso sync`,
    );
  return broken(
    'identity-store-user',
    title,
    `no Identity Center user named ${f.upn}`,
    'the person was never provisioned to the Identity Store',
    'iam2sso sync --plan migration-plan.yaml (or Entra provisioning: iam2sso entra provision --user UPN)',
  );
};

const storeGroups: Step = (f) =>
  ok(
    'identity-store-groups',
    'Identity Store groups',
    f.storeGroups.length ? f.storeGroups.join(', ') : 'none (only direct assignments can apply)',
  );

const assignments: Step = (f, _now, account) => {
  const title = 'account assignments';
  const mine = f.assignments.filter((a) => !account || a.accountId === account);
  if (!mine.length)
    return broken(
      'account-assignments',
      title,
      account ? `no assignment in account ${account}` : 'no account assignment',
      'the access portal shows "You do not have any applications or AWS accounts"',
      'give the person access in the plan (iam2sso plan), then iam2sso apply and iam2sso sync',
    );
  return ok('account-assignments', title, mine.map((a) => `${a.accountId}/${a.permissionSet} via ${a.via}`).join('; '));
};

const permissionSets: Step = (f, _now, account) => {
  const names = [
    ...new Set(f.assignments.filter((a) => !account || a.accountId === account).map((a) => a.permissionSet)),
  ];
  return ok('permission-sets', 'permission sets', names.join(', '));
};

const roles: Step = (f, _now, account) => {
  const title = 'AWSReservedSSO_ roles';
  const mine = f.roles.filter((r) => !account || r.accountId === account);
  const missing = mine.filter((r) => !r.roleName);
  if (missing.length)
    return broken(
      'reserved-roles',
      title,
      `no role for ${missing.map((r) => `${r.permissionSet} in ${r.accountId}`).join(', ')}`,
      'the permission set is not provisioned to the account: the portal fails with "No access"',
      'iam2sso apply (provisions every assigned permission set), or aws sso-admin provision-permission-set',
    );
  return ok('reserved-roles', title, mine.map((r) => `${r.accountId}:${r.roleName}`).join(', '));
};

const signIns: Step = (f) => {
  const title = 'sign-ins seen';
  if (!f.signIns)
    return {
      id: 'sign-ins',
      title,
      status: 'skipped',
      detail: 'no sign-in data to look in (iam2sso track records it)',
    };
  if (!f.signIns.count) return { id: 'sign-ins', title, status: 'skipped', detail: `none yet (${f.signIns.source})` };
  return ok('sign-ins', title, `${f.signIns.count} sign-ins, last ${f.signIns.last} (${f.signIns.source})`);
};

const STEPS: Step[] = [
  entraUser,
  appAssignment,
  certificate,
  storeUser,
  storeGroups,
  assignments,
  permissionSets,
  roles,
  signIns,
];

/** Walks the chain; every link up to and including the first broken one. */
export function explainChain(facts: ExplainFacts, now: Date, account?: string): Explanation {
  const links: Link[] = [];
  for (const step of STEPS) {
    const link = step(facts, now, account);
    links.push(link);
    if (link.status === 'broken') return { upn: facts.upn, ok: false, brokenAt: link.id, links };
  }
  return { upn: facts.upn, ok: true, brokenAt: null, links };
}

function ok(id: LinkId, title: string, detail: string): Link {
  return { id, title, status: 'ok', detail };
}

function warning(id: LinkId, title: string, detail: string, fix: string): Link {
  return { id, title, status: 'warning', detail, fix };
}

function broken(id: LinkId, title: string, detail: string, cause: string, fix: string): Link {
  return { id, title, status: 'broken', detail, cause, fix };
}
