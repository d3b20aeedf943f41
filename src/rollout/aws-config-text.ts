/**
 * The AWS CLI configuration `aws configure sso` writes for a person: one `sso-session` and one profile per account
 * and permission set, named `<account>-<permission set>`. Shared by the rollout messages (what to expect) and
 * `sandbox aws-config` (the file itself). Source: AWS CLI user guide, "Configure the AWS CLI to use IAM Identity
 * Center token provider credentials" (sso-session section, sso_registration_scopes sso:account:access).
 */

/** One profile: an account (with its name when known) and a permission set. */
export type ProfileTarget = { accountId: string; accountName?: string; permissionSet: string };

/** The profile name for an account and permission set. */
export function profileName(target: ProfileTarget): string {
  return `${target.accountName || target.accountId}-${target.permissionSet}`.replace(/[^\w.-]+/g, '-');
}

/** The config file text. */
export function awsConfigText(
  session: { name: string; startUrl: string; region: string },
  targets: ProfileTarget[],
): string {
  const lines = [
    `[sso-session ${session.name}]`,
    `sso_start_url = ${session.startUrl}`,
    `sso_region = ${session.region}`,
    'sso_registration_scopes = sso:account:access',
    '',
  ];
  for (const t of targets)
    lines.push(
      `[profile ${profileName(t)}]`,
      `sso_session = ${session.name}`,
      `sso_account_id = ${t.accountId}`,
      `sso_role_name = ${t.permissionSet}`,
      `region = ${session.region}`,
      'output = json',
      '',
    );
  return lines.join('\n');
}
