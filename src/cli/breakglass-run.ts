/**
 * The work of `iam2sso breakglass create|test|rollback`: read what is there (the user, the rule, the topic),
 * make what is missing through the executor (the console password is shown once on stdout, never stored), and
 * check the alarm: against AWS by reading the rule, its target and the topic policy; in the sandbox also by
 * signing in as the user and reading the delivery log of the topic.
 */

import { endpointOf } from '../aws/alarm-client.js';
import { type AwsOptions, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import {
  ALARM_TARGET_ID,
  alarmRuleName,
  breakGlassPolicyArn,
  DEFAULT_ALARM_TOPIC,
  DEFAULT_BREAK_GLASS_USER,
  planBreakGlass,
  plannedBreakGlassUser,
} from '../core/breakglass.js';
import { alarmProblems } from '../core/breakglass-check.js';
import { CloudError, UsageError } from '../errors.js';
import type { IamChangePorts } from '../iam-changes/ports.js';
import { createIamChangePorts } from '../iam-changes/runtime.js';
import { openStateDb } from '../store/db.js';
import { stateOwnership } from '../store/ownership-repo.js';
import { readPlanIfAny, rollbackIamRun, runIamChanges, runsToRollBack, type WriteFlags } from './iam-changes-run.js';
import { type Io, printJson } from './io.js';

/** The flags of `iam2sso breakglass`. */
export type BreakGlassFlags = AwsOptions &
  WriteFlags & {
    account?: string;
    user?: string;
    topic?: string;
    plan: string;
    state: string;
    assumeRole: string;
    passwordStdin?: boolean;
  };

type Target = {
  accountId: string;
  region: string;
  partition: string;
  userName: string;
  topicArn: string;
  ruleName: string;
};

async function targetOf(flags: BreakGlassFlags, ports: IamChangePorts, region: string): Promise<Target> {
  if (flags.account && !/^\d{12}$/.test(flags.account))
    throw new UsageError(`--account takes a 12-digit account id, not "${flags.account}"`);
  if (flags.topic && !/^arn:[\w-]+:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(flags.topic))
    throw new UsageError(
      `--topic takes an SNS topic ARN (arn:PARTITION:sns:REGION:ACCOUNT:NAME), not "${flags.topic}"`,
    );
  const caller = await ports.caller();
  const accountId = flags.account ?? caller.accountId;
  const userName =
    flags.user ?? plannedBreakGlassUser(readPlanIfAny(flags.plan), accountId) ?? DEFAULT_BREAK_GLASS_USER;
  const topicArn = flags.topic ?? `arn:${caller.partition}:sns:${region}:${accountId}:${DEFAULT_ALARM_TOPIC}`;
  return { accountId, region, partition: caller.partition, userName, topicArn, ruleName: alarmRuleName(userName) };
}

async function open(flags: BreakGlassFlags, io: Io) {
  const settings = await resolveAwsSettings(flags, { note: (line) => io.err(line) });
  const ports = createIamChangePorts(settings, flags.assumeRole);
  const db = await openStateDb(flags.state);
  const close = () => {
    ports.close();
    db.close();
  };
  return { settings, ports, db, close };
}

async function readAlarm(ports: IamChangePorts, t: Target) {
  const alarms = await ports.alarms(t.accountId, t.region);
  const [rule, topic] = await Promise.all([alarms.describeRule(t.ruleName), alarms.topicAttributes(t.topicArn)]);
  return { rule, topic };
}

/** Runs `iam2sso breakglass create`. */
export async function runBreakGlassCreate(flags: BreakGlassFlags, io: Io): Promise<void> {
  const { settings, ports, db, close } = await open(flags, io);
  try {
    const t = await targetOf(flags, ports, settings.region);
    const owned = stateOwnership(db);
    const [user, alarm] = await Promise.all([
      (await ports.iam(t.accountId)).getUser(t.userName),
      readAlarm(ports, t),
    ]).catch((e) => {
      throw toCloudError(e, 'iam', t.accountId);
    });
    const isOwned = (kind: 'iam-user' | 'sns-topic' | 'events-rule', key: string) => owned.isOwned({ kind, key });
    const { changes, notes } = planBreakGlass(
      { ...t, topicArn: flags.topic ?? null },
      {
        user: {
          exists: !!user,
          owned: isOwned('iam-user', `${t.accountId}/${t.userName.toLowerCase()}`),
          policyAttached: user?.attachedPolicies.includes(breakGlassPolicyArn(t.partition)),
          hasPassword: user?.hasPassword,
        },
        rule: {
          exists: !!alarm.rule,
          owned: isOwned('events-rule', `${t.accountId}/${t.region}/${t.ruleName}`),
          targets: alarm.rule?.targets.map((x) => x.arn) ?? [],
        },
        topic: {
          exists: !!alarm.topic,
          owned: isOwned('sns-topic', `${t.accountId}/${t.region}/${DEFAULT_ALARM_TOPIC}`),
        },
      },
    );
    for (const n of notes) io.err(`note: ${n}`);
    let password: string | null = null;
    const out = await runIamChanges('breakglass', changes, {
      db,
      ports,
      flags,
      io,
      onPassword: (_u, pw) => {
        password = pw;
      },
    });
    const next = nextSteps(t, !!password);
    if (flags.json)
      printJson(io, {
        run: out.runId,
        user: t.userName,
        account: t.accountId,
        rule: t.ruleName,
        topic: t.topicArn,
        consolePassword: password,
        made: out.report.done.length,
        dryRun: !!flags.dryRun,
        writes: out.writes,
        nextSteps: next,
      });
    else {
      if (changes.length === 0) io.out(`Nothing to do: ${t.userName} and its alarm are in place in ${t.accountId}.`);
      if (flags.dryRun) io.out(`Dry run: ${out.writes.length} change(s) would be made; nothing was changed.`);
      if (password)
        io.out(
          `\nConsole password of ${t.userName} (shown once, not stored anywhere; change it at first sign-in):\n\n    ${password}\n`,
        );
      for (const line of next) io.out(line);
    }
  } finally {
    close();
  }
}

function nextSteps(t: Target, newPassword: boolean): string[] {
  return [
    ...(newPassword
      ? [
          `Write the user name, the password and https://${t.accountId}.signin.aws.amazon.com/console on paper; keep it in a safe, not in a password manager you reach through SSO.`,
        ]
      : []),
    `Register a hardware MFA device for ${t.userName} now: sign in, then IAM > Users > ${t.userName} > Security credentials > Assign MFA device > Security key (FIDO2) or Hardware TOTP token. \`iam2sso doctor\` reports the user until it has one.`,
    `Subscribe the people on call to the alarm: aws sns subscribe --topic-arn ${t.topicArn} --protocol email --notification-endpoint security@example.com`,
    'Test the alarm every quarter: iam2sso breakglass test',
  ];
}

/** Signs in to the sandbox's console as the user and returns the alarms its topic received afterwards. */
async function sandboxSignIn(
  endpoint: string,
  t: Target,
  password: string,
): Promise<{ signedIn: boolean; alarms: unknown[] }> {
  const deliveries = async () => {
    const res = await fetch(`${endpoint}/_sandbox/sns/deliveries?topicArn=${encodeURIComponent(t.topicArn)}`);
    return ((await res.json()) as { deliveries: { message: string }[] }).deliveries;
  };
  const before = (await deliveries()).length;
  const res = await fetch(`${endpoint}/_sandbox/console-signin`, {
    method: 'POST',
    body: JSON.stringify({ accountId: t.accountId, userName: t.userName, password }),
  });
  const after = await deliveries();
  return { signedIn: res.ok, alarms: after.slice(before).map((d) => JSON.parse(d.message)) };
}

async function isSandbox(endpoint: string): Promise<boolean> {
  if (/\.amazonaws\.com(\.cn)?$/.test(new URL(endpoint).hostname)) return false;
  try {
    return (await fetch(`${endpoint}/_sandbox/manifest`, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Runs `iam2sso breakglass test`. */
export async function runBreakGlassTest(flags: BreakGlassFlags, io: Io): Promise<void> {
  const { settings, ports, close } = await open(flags, io);
  try {
    const t = await targetOf(flags, ports, settings.region);
    const { rule, topic } = await readAlarm(ports, t).catch((e) => {
      throw toCloudError(e, 'events', t.accountId);
    });
    const problems = alarmProblems({
      userName: t.userName,
      rule,
      topicArn: t.topicArn,
      topicPolicy: topic ? (topic.Policy ?? '') : null,
    });
    const endpoint = endpointOf({ ...settings }, 'sns');
    const sandbox = await isSandbox(endpoint);
    let fired: { signedIn: boolean; alarms: unknown[] } | null = null;
    if (sandbox && problems.length === 0) {
      if (!flags.passwordStdin)
        throw new UsageError('in the sandbox, give the console password with --password-stdin to sign in as the user');
      fired = await sandboxSignIn(endpoint, t, await readStdin());
    }
    const ok = problems.length === 0 && (!fired || fired.alarms.length > 0);
    if (flags.json)
      printJson(io, {
        user: t.userName,
        rule: rule?.arn ?? null,
        topic: t.topicArn,
        target: ALARM_TARGET_ID,
        problems,
        sandbox: fired,
        ok,
      });
    else {
      for (const p of problems) io.out(`✗ ${p.message}`);
      if (problems.length === 0)
        io.out(`✓ rule ${rule!.arn} watches ${t.userName} and sends to ${t.topicArn}, which lets EventBridge publish`);
      if (fired) {
        io.out(`${fired.signedIn ? '✓' : '✗'} signed in to the console as ${t.userName} (sandbox)`);
        for (const a of fired.alarms as { 'detail-type': string; detail: { eventName: string; eventTime: string } }[])
          io.out(
            `✓ alarm delivered to ${t.topicArn}: ${a['detail-type']} ${a.detail.eventName} at ${a.detail.eventTime}`,
          );
        if (fired.alarms.length === 0) io.out(`✗ no alarm reached ${t.topicArn} after the sign-in`);
      } else if (!sandbox && problems.length === 0)
        io.out(`Sign in as ${t.userName} once to see the alarm arrive (AWS delivers it within minutes).`);
    }
    if (!ok)
      throw new CloudError(
        'iam2sso',
        'BreakGlassAlarmMissing',
        `the alarm on ${t.userName} is not in place`,
        undefined,
        'run `iam2sso breakglass create`',
      );
  } finally {
    close();
  }
}

/** Runs `iam2sso breakglass rollback [RUN]`: that run, or every breakglass run not rolled back yet, newest first. */
export async function runBreakGlassRollback(runId: string | undefined, flags: BreakGlassFlags, io: Io): Promise<void> {
  const { ports, db, close } = await open(flags, io);
  try {
    const targets = runId ? [runId] : runsToRollBack(db, 'breakglass');
    if (targets.length === 0) throw new UsageError('no breakglass run to roll back (see `iam2sso runs`)');
    const results = [];
    for (const target of targets) {
      const out = await rollbackIamRun(target, { db, ports, flags, io });
      results.push({ run: out.runId, target, undone: out.undone, refused: out.refused });
      if (!flags.json) io.err(`Rollback of ${target}: ${out.undone} undone, ${out.refused.length} refused.`);
    }
    if (flags.json) printJson(io, { rollbacks: results, undone: results.reduce((n, r) => n + r.undone, 0) });
  } finally {
    close();
  }
}
