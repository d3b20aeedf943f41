/** The work of `iam2sso rollout messages`: reads the plan (and, without --start-url, the instance), renders. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { discoverAccounts } from '../aws/accounts.js';
import { awsSettingsFromEnv, createBaseClients } from '../aws/clients.js';
import { createSsoAdminClient } from '../aws/identity-center.js';
import { UsageError, ValidationFailed } from '../errors.js';
import { parsePlanText } from '../plan-file/read.js';
import { type RolloutSettings, rolloutMessages } from '../rollout/messages.js';
import { type MessageFormat, renderMessage } from '../rollout/render.js';
import { type Io, printJson } from './io.js';

export type RolloutFlags = {
  plan: string;
  format: string;
  out?: string;
  startUrl?: string;
  region?: string;
  cutoverDate?: string;
  from: string;
  endpointUrl?: string;
  json?: boolean;
};

const FORMATS: MessageFormat[] = ['md', 'html', 'eml'];
const DAY = 86_400_000;

/** The start URL and account names from AWS (Identity Center's instance, Organizations). */
async function fromAws(flags: RolloutFlags): Promise<{ startUrl: string; names: Map<string, string> }> {
  const settings = awsSettingsFromEnv(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {});
  const sso = createSsoAdminClient(settings, async () => undefined);
  const base = createBaseClients(settings);
  try {
    const storeId = (await sso.send(new ListInstancesCommand({}))).Instances?.[0]?.IdentityStoreId;
    if (!storeId && !flags.startUrl) throw new UsageError('no Identity Center instance found: pass --start-url');
    const discovery = await discoverAccounts(base.sts, base.organizations);
    return {
      startUrl: flags.startUrl ?? `https://${storeId}.awsapps.com/start`,
      names: new Map(discovery.accounts.map((a) => [a.id, a.name])),
    };
  } finally {
    sso.destroy();
    base.sts.destroy();
    base.organizations.destroy();
  }
}

/** Runs `rollout messages`. */
export async function runRolloutMessages(flags: RolloutFlags, io: Io): Promise<void> {
  const format = flags.format as MessageFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format takes md, html or eml, not "${flags.format}"`);
  if (flags.cutoverDate && !/^\d{4}-\d{2}-\d{2}$/.test(flags.cutoverDate))
    throw new UsageError('--cutover-date takes a date as yyyy-mm-dd');
  if (!existsSync(flags.plan)) throw new UsageError(`no plan file ${flags.plan}: run \`iam2sso plan\` first`);
  const read = parsePlanText(readFileSync(flags.plan, 'utf8'), flags.plan, { quota: 10, strict: false });
  if (!read.plan) throw new ValidationFailed(read.problems);
  const plan = read.plan;
  const aws = flags.startUrl ? { startUrl: flags.startUrl, names: new Map<string, string>() } : await fromAws(flags);
  const now = new Date();
  const settings: RolloutSettings = {
    startUrl: aws.startUrl,
    region: flags.region ?? process.env.AWS_REGION ?? 'us-east-1',
    cutoverDate: flags.cutoverDate ?? new Date(now.getTime() + 30 * DAY).toISOString().slice(0, 10),
    from: flags.from,
    accountNames: aws.names,
  };
  const messages = rolloutMessages(plan, settings);
  if (!flags.out) {
    if (flags.json) printJson(io, messages);
    else for (const m of messages) io.out(`${renderMessage(m, format, flags.from, now)}\n`);
    return;
  }
  const dir = resolve(flags.out);
  mkdirSync(dir, { recursive: true });
  const files = messages.map((m) => {
    const file = join(dir, `${m.id.replace(/[^\w.@-]+/g, '_')}.${format}`);
    writeFileSync(file, renderMessage(m, format, flags.from, now));
    return { to: m.to, subject: m.subject, file };
  });
  if (flags.json) printJson(io, { dir, files });
  else
    io.out(
      `${files.length} messages in ${dir} (${messages.filter((m) => !m.id.startsWith('service-')).length} people, ${plan.serviceAccounts.length} service accounts)`,
    );
}
