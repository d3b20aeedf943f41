/**
 * The `decommission:` section of iam2sso.yaml:
 *
 *     decommission:
 *       watchDays: 30           # days between deactivate-keys and delete, with no legacy use seen by track
 *       requireSsoSignIn: true  # delete a person's IAM user only once track saw them sign in through SSO
 */
import { defaultDecommissionSettings } from '../core/decommission.js';
import type { ConfigSection } from './config.js';
import { problem, readInt, readMap } from './read.js';

/** Reads `decommission:` into `config.decommission`. */
export const decommissionSection: ConfigSection = {
  key: 'decommission',
  read(ctx, node, config) {
    const m = readMap(ctx, node, 'decommission', ['watchDays', 'requireSsoSignIn']);
    if (!m) return;
    const settings = defaultDecommissionSettings();
    const days = m.get('watchDays');
    if (days) settings.watchDays = readInt(ctx, days.value, 'decommission.watchDays', 1, 3650) ?? settings.watchDays;
    const sso = m.get('requireSsoSignIn');
    if (sso) {
      const v = (sso.value as { value?: unknown })?.value;
      if (typeof v === 'boolean') settings.requireSsoSignIn = v;
      else problem(ctx, sso.value, 'decommission.requireSsoSignIn must be true or false');
    }
    config.decommission = settings;
  },
};
