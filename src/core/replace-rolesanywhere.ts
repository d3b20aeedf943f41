/**
 * The IAM Roles Anywhere part of a service account's replacement: a trust anchor from the operator's CA bundle, a
 * profile naming the replacement role, and the role's trust policy, which trusts Roles Anywhere only for sessions
 * from that trust anchor (`aws:SourceArn`, as the IAM Roles Anywhere User Guide's trust model and its confused
 * deputy guidance recommend). The anchor's ARN holds an id the service picks, so the anchor is made first and the
 * role and profile after it, in the same run. Pure.
 */
import type { RolesAnywhereChange } from './reconcile/changes-rolesanywhere.js';

/** The session length of the profile (CreateProfile's default; its range is 900-43200 seconds). */
export const PROFILE_DURATION_SECONDS = 3600;

/** The trust anchor's and the profile's name for a user (Roles Anywhere names: 1-255 of `[ a-zA-Z0-9-_]`). */
export function rolesAnywhereName(userName: string): string {
  return `iam2sso-${userName}`.replace(/[^ a-zA-Z0-9_-]/g, '-').slice(0, 255);
}

/** The role's trust policy: Roles Anywhere may assume it (and tag and name the session) for this trust anchor only. */
export function rolesAnywhereTrustPolicy(trustAnchorArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'rolesanywhere.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        Condition: { ArnEquals: { 'aws:SourceArn': trustAnchorArn } },
      },
    ],
  });
}

/** What is there already (the tool's: a foreign object of the name is refused before). */
export type RolesAnywhereFacts = {
  accountId: string;
  region: string;
  userName: string;
  roleArn: string;
  /** The trust anchor of the user's name, or null. */
  trustAnchorArn: string | null;
  /** The profile of the user's name with its roles, or null. */
  profile: { arn: string; roleArns: string[] } | null;
  /** The operator's CA bundle (PEM), needed only to make the anchor. */
  certificateBundle: string | null;
};

/** The anchor and profile changes, and what stops them. */
export function planRolesAnywhere(f: RolesAnywhereFacts): { changes: RolesAnywhereChange[]; problems: string[] } {
  const name = rolesAnywhereName(f.userName);
  const where = { accountId: f.accountId, region: f.region, name };
  const tags = { 'managed-by': 'iam2sso', replaces: f.userName.replace(/[^ a-zA-Z0-9_.:/=+@-]/g, '-') };
  const changes: RolesAnywhereChange[] = [];
  const problems: string[] = [];
  if (!f.trustAnchorArn) {
    if (f.certificateBundle)
      changes.push({
        kind: 'rolesanywhere.trust-anchor.create',
        ...where,
        certificateBundle: f.certificateBundle,
        tags,
      });
    else problems.push('the trust anchor needs your CA certificate bundle: pass --ca-bundle FILE (PEM)');
  }
  if (!f.profile)
    changes.push({
      kind: 'rolesanywhere.profile.create',
      ...where,
      roleArns: [f.roleArn],
      durationSeconds: PROFILE_DURATION_SECONDS,
      tags,
    });
  else if (!f.profile.roleArns.includes(f.roleArn))
    problems.push(`profile ${name} (made by iam2sso) does not name ${f.roleArn}: roll back its run and run again`);
  return { changes, problems };
}

/** True when a role's trust policy trusts Roles Anywhere for exactly this trust anchor. */
export function trustsAnchor(trustPolicy: string, trustAnchorArn: string): boolean {
  try {
    return JSON.stringify(JSON.parse(trustPolicy)) === rolesAnywhereTrustPolicy(trustAnchorArn);
  } catch {
    return false;
  }
}
