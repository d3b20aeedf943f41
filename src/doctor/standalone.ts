/**
 * The standalone-account checks of `iam2sso doctor`: which way of bringing Entra sign-in to an account in no
 * organization is possible and why (see core/plan-standalone.ts for the facts and their sources), each with the
 * exact steps. Direct SAML federation is the one that gives access to the account: ok when the audit found it in
 * place, a warning with the steps otherwise; the two Identity Center instances are warnings that say why not.
 */
import { type StandaloneOption, standaloneOptions } from '../core/plan-standalone.js';
import { type Check, check } from './checks.js';
import { auditedFederation } from './gather.js';

/** The Organizations check of a standalone account: Identity Center's access to AWS accounts needs an organization. */
export function notInOrganization(error: string): Check {
  return check(
    'prereq.organizations',
    'prerequisites',
    'error',
    'standalone account: not in an organization',
    `${error.replace(/\.+$/, '')}. Identity Center's organization instance (permission sets, account assignments) needs AWS Organizations; an account instance of Identity Center serves applications only, not access to AWS accounts`,
    "for console and CLI access through Entra either join or create an organization (then enable Identity Center in its management account), or keep or set up direct SAML federation to IAM (Entra's AWS Single-Account Access app: a SAML provider and roles in this account); the standalone checks below give the steps",
  );
}

/** One check per option, in the order the options come. */
export function standaloneChecks(options: StandaloneOption[], inPlace: boolean): Check[] {
  return options.map((o) => {
    const steps = o.steps.map((s, i) => `${i + 1}. ${s}`).join('; ');
    const status = o.target === 'direct-saml' && inPlace ? 'ok' : 'warning';
    const fix =
      o.target === 'account-instance'
        ? 'not a way to replace IAM users for console or CLI access to this account'
        : o.target === 'organization-instance'
          ? `only if this account may lead an organization: ${steps}`
          : steps;
    return check(`standalone.${o.target}`, 'prerequisites', status, o.title, o.why, fix);
  });
}

/** The standalone checks, from the instance ListInstances shows (an account instance here) and the latest audit. */
export async function standaloneDoctor(
  accountId: string,
  instance: { instanceArn: string } | null,
  statePath: string,
): Promise<Check[]> {
  const federation = await auditedFederation(statePath, accountId);
  return standaloneChecks(
    standaloneOptions(accountId, instance?.instanceArn ?? null, federation),
    federation.length > 0,
  );
}
