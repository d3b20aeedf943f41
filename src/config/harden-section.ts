/**
 * The `harden:` section of iam2sso.yaml: the emergency-access (break-glass) Entra accounts that the Conditional
 * Access policy of `entra harden` must never cover, so a broken MFA setup cannot lock everyone out.
 *
 *     harden:
 *       emergencyAccessAccounts:
 *         - breakglass1@example.onmicrosoft.com
 */
import type { ConfigSection } from './config.js';
import { problem, readMap, readSeq, readString } from './read.js';

/** The harden settings. */
export type HardenConfig = { emergencyAccessAccounts: string[] };

const UPN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Reads `harden:` into `config.harden`. */
export const hardenSection: ConfigSection = {
  key: 'harden',
  read(ctx, node, config) {
    const m = readMap(ctx, node, 'harden', ['emergencyAccessAccounts']);
    if (!m) return;
    const accounts: string[] = [];
    const entry = m.get('emergencyAccessAccounts');
    if (entry) {
      for (const [i, item] of readSeq(ctx, entry.value, 'harden.emergencyAccessAccounts').entries()) {
        const upn = readString(ctx, item, `harden.emergencyAccessAccounts[${i}]`);
        if (upn === undefined) continue;
        if (!UPN.test(upn)) {
          problem(
            ctx,
            item,
            `harden.emergencyAccessAccounts[${i}] must be a user principal name (name@domain), not '${upn}'`,
          );
          continue;
        }
        accounts.push(upn);
      }
    }
    config.harden = { emergencyAccessAccounts: accounts };
  },
};
