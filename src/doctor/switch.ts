/**
 * The identity-source switch check of `iam2sso doctor`: go or no-go for changing Identity Center's identity source
 * from its own directory to Entra, naming exactly the directory users who would lose their sign-in, with the console
 * steps (there is no API for the switch). Steps: the field guide, Phase 3.3, and "Change your identity source" in the
 * IAM Identity Center user guide.
 */
import type { DirectoryUserFacts, EntraUserFacts } from '../core/identity-source-switch.js';
import { assessSwitch, directoryUsers } from '../core/identity-source-switch.js';
import { type Check, check } from './checks.js';

/** The console steps of the switch, in order. */
export const SWITCH_STEPS = [
  'IAM Identity Center > Settings > Identity source > Actions > Change identity source',
  'choose External identity provider > Next',
  "under IdP SAML metadata, upload the Entra app's Federation Metadata XML (iam2sso entra setup prints where) > Next",
  'read the warning, type ACCEPT, and choose Change identity source',
  'then enable automatic provisioning (SCIM) and run iam2sso doctor again',
];

/**
 * The switch checks: nothing when every Identity Store user came from an identity provider (SCIM) or from iam2sso
 * (`madeByTool`: lower-cased user names of the store users the state database records as created by it).
 */
export function switchChecks(store: DirectoryUserFacts[], entra: EntraUserFacts[], madeByTool: Set<string>): Check[] {
  const directory = directoryUsers(store).filter((u) => !madeByTool.has(u.userName.toLowerCase()));
  if (directory.length === 0) return [];
  const outcomes = assessSwitch(directory, entra);
  const lost = outcomes.filter((o) => !o.keeps);
  const steps = SWITCH_STEPS.map((s, i) => `${i + 1}. ${s}`).join('; ');
  if (lost.length === 0)
    return [
      check(
        'identity-source.switch',
        'identity-source',
        'ok',
        `go: all ${outcomes.length} Identity Center directory users match an enabled Entra user by UPN`,
        outcomes.map((o) => o.userName).join(', '),
        steps,
      ),
    ];
  return [
    check(
      'identity-source.switch',
      'identity-source',
      'error',
      `no-go: ${lost.length} of ${outcomes.length} Identity Center directory users would lose their sign-in`,
      lost.map((o) => `${o.userName} (${o.detail})`).join('; '),
      `${lost.map((o) => (o.keeps ? '' : `${o.userName}: ${o.fix}`)).join('; ')}; then switch in the console: ${steps}`,
    ),
  ];
}
