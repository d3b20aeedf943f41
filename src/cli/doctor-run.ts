/** The work of `iam2sso doctor`: reads AWS and Entra, runs the checks, prints them, exits 1 on an error. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { discoverAccounts } from '../aws/accounts.js';
import { type AwsOptions, type AwsSettings, createBaseClients, resolveAwsSettings } from '../aws/clients.js';
import { createSsoAdminClient } from '../aws/identity-center.js';
import { type InstanceScope, instanceScope } from '../aws/identity-center-instance.js';
import { createIdentityStoreClient } from '../aws/identity-store.js';
import { loadConfig } from '../config/config.js';
import { breakGlassChecks } from '../doctor/breakglass.js';
import { appChecks, type Check, check, doctorExitCode, idpMetadataChecks } from '../doctor/checks.js';
import { lastSyncRun, readAudience, readOrganization, readStoreUsers, storeUsersMadeByTool } from '../doctor/gather.js';
import { hardenChecks } from '../doctor/harden-checks.js';
import { inspectIdpMetadata, MAX_METADATA_BYTES } from '../doctor/idp-metadata.js';
import { peopleChecks, provisioningChecks } from '../doctor/people.js';
import { notInOrganization, standaloneDoctor } from '../doctor/standalone.js';
import { switchChecks } from '../doctor/switch.js';
import { createEntraAdapter, type EntraAdapter } from '../entra/adapter.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { ExitCode } from '../errors.js';
import { appNames, findIdentityCenterApp } from '../explain/entra-facts.js';
import { createIamChangePorts } from '../iam-changes/runtime.js';
import { openStateDb } from '../store/db.js';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import { readAssignmentFacts } from '../verify/assignments.js';
import { createVerifyRuntime, type VerifyRuntime } from '../verify/runtime.js';
import { type Io, printJson } from './io.js';
import { DEFAULT_PLAN_FILE } from './plan.js';

export type DoctorFlags = {
  json?: boolean;
  strict?: boolean;
  idpMetadata?: string;
  appName?: string;
  state?: string;
  assumeRole: string;
  endpointUrl?: string;
  config?: string;
  /** The plan whose privileged groups are checked for standing members. */
  plan?: string;
};

/** Reads the metadata from a file or a URL, refusing anything larger than metadata ever is. */
async function loadMetadata(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFile(source, 'utf8');
  const response = await fetch(source);
  if (!response.ok) throw new Error(`GET ${source} answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_METADATA_BYTES) return 'x'.repeat(MAX_METADATA_BYTES + 1);
  return response.text();
}

async function prerequisites(settings: AwsSettings) {
  const base = createBaseClients(settings);
  const out: Check[] = [];
  try {
    const org = await readOrganization(base.organizations);
    // A standalone account: the standalone.* checks say which way is possible and why (src/doctor/standalone.ts).
    const standalone = org.error?.startsWith('AWSOrganizationsNotInUseException') === true;
    if (standalone) out.push(notInOrganization(org.error ?? ''));
    else if (org.featureSet === 'ALL')
      out.push(
        check('prereq.organizations', 'prerequisites', 'ok', 'Organizations with all features', 'FeatureSet ALL'),
      );
    else
      out.push(
        check(
          'prereq.organizations',
          'prerequisites',
          'error',
          'Organizations without all features',
          org.error ?? `FeatureSet ${org.featureSet}`,
          'enable all features in AWS Organizations (Settings), then enable IAM Identity Center',
        ),
      );
    out.push(
      check(
        'prereq.delegated-admin',
        'prerequisites',
        'ok',
        'delegated administration',
        org.delegated === null
          ? 'not readable with these credentials (ListDelegatedAdministrators)'
          : org.delegated.length
            ? `delegated to ${org.delegated.join(', ')}`
            : 'none: Identity Center is managed from the management account',
      ),
    );
    const discovery = await discoverAccounts(base.sts, base.organizations);
    return { out, standalone, accounts: discovery.accounts.filter((a) => a.status === 'ACTIVE').map((a) => a.id) };
  } finally {
    base.sts.destroy();
    base.organizations.destroy();
  }
}

async function instanceOf(
  scope: InstanceScope,
  region: string,
): Promise<{ checks: Check[]; instance: { instanceArn: string; identityStoreId: string } | null }> {
  try {
    const instance = await scope.instance();
    return {
      checks: [
        check('prereq.instance', 'prerequisites', 'ok', `Identity Center instance in ${region}`, instance.instanceArn),
      ],
      instance,
    };
  } catch (e) {
    return {
      checks: [
        check(
          'prereq.instance',
          'prerequisites',
          'error',
          `no Identity Center instance in ${region}`,
          (e as Error).message,
          'enable IAM Identity Center in the region you chose (AWS_REGION), from the management account',
        ),
      ],
      instance: null,
    };
  }
}

async function samlAndPeople(
  adapter: EntraAdapter,
  aws: { runtime: VerifyRuntime; store: IdentitystoreClient },
  flags: DoctorFlags,
  ctx: { region: string; storeId: string; accounts: string[]; now: Date },
): Promise<Check[]> {
  const sp = {
    entityId: `https://${ctx.region}.signin.aws.amazon.com/platform/saml/${ctx.storeId}`,
    acsUrl: `https://${ctx.region}.signin.aws.amazon.com/platform/saml/acs/${ctx.storeId}`,
  };
  const app = await findIdentityCenterApp(adapter, appNames(flags.appName));
  const certificates = (app?.signingCertificates ?? []).map((c) => ({
    ...c,
    active: c.thumbprint === app?.preferredTokenSigningKeyThumbprint,
  }));
  const out = appChecks(
    app && { identifierUris: app.identifierUris, redirectUris: app.redirectUris, certificates },
    sp,
    ctx.now,
  );
  if (flags.idpMetadata) {
    const inspected = inspectIdpMetadata(await loadMetadata(flags.idpMetadata));
    const { tenantId, authorityHost } = adapter.settings;
    if (!inspected.ok)
      out.push(
        check(
          'saml.metadata',
          'saml',
          'error',
          'IdP metadata refused',
          `${flags.idpMetadata}: ${inspected.problem}`,
          "download the app's federation metadata again from Entra (Single sign-on > SAML Certificates > Federation Metadata XML)",
        ),
      );
    else
      out.push(
        ...idpMetadataChecks(
          inspected.value,
          flags.idpMetadata,
          {
            tenantId,
            signInUrl: `${authorityHost}/${tenantId}/saml2`,
            activeThumbprint: app?.preferredTokenSigningKeyThumbprint ?? null,
          },
          ctx.now,
        ),
      );
  } else
    out.push(
      check(
        'prereq.identity-source',
        'prerequisites',
        'warning',
        'identity source not compared',
        'Identity Center has no API for its identity source settings',
        'pass --idp-metadata FILE (the metadata uploaded to Identity Center) to compare it with Entra',
      ),
    );
  const jobs = app ? await adapter.apps.listSyncJobs(app.servicePrincipalId) : [];
  out.push(...provisioningChecks(jobs, await lastSyncRun(flags.state ?? DEFAULT_STATE_PATH), ctx.now));
  if (!app) return out;
  const [users, audience, facts] = await Promise.all([
    adapter.reader.listUsers(),
    readAudience(adapter, app),
    readAssignmentFacts(aws.runtime.readers, ctx.accounts),
  ]);
  const storeUsers = await readStoreUsers(aws.store, ctx.storeId);
  const withAccess = new Set(
    facts.assignments.flatMap((a) =>
      a.principalType === 'USER' ? [a.principalId] : (facts.memberships.get(a.principalId) ?? []),
    ),
  );
  out.push(...peopleChecks(users, audience, storeUsers, withAccess));
  out.push(...(await hardenChecks(adapter, app, flags.plan ?? DEFAULT_PLAN_FILE)));
  return out;
}

/** The break-glass users the state database knows, each with MFA and an alarm (src/doctor/breakglass.ts). */
async function breakGlassDoctor(settings: AwsSettings, flags: DoctorFlags): Promise<Check[]> {
  const path = flags.state ?? DEFAULT_STATE_PATH;
  if (!existsSync(path)) return [];
  const db = await openStateDb(path);
  const ports = createIamChangePorts(settings, flags.assumeRole);
  try {
    return await breakGlassChecks(db, ports, settings.region);
  } finally {
    ports.close();
    db.close();
  }
}

/** Go or no-go for switching the identity source from the Identity Center directory to Entra. */
async function identitySourceSwitch(
  adapter: EntraAdapter,
  store: IdentitystoreClient,
  storeId: string,
  statePath: string,
) {
  const [storeUsers, entraUsers, made] = await Promise.all([
    readStoreUsers(store, storeId),
    adapter.reader.listUsers(),
    storeUsersMadeByTool(statePath),
  ]);
  return switchChecks(storeUsers, entraUsers, made);
}

const MARK = { ok: 'ok   ', warning: 'WARN ', error: 'ERROR' };

/** Runs `doctor`. */
export async function runDoctor(flags: DoctorFlags, io: Io): Promise<Check[]> {
  const { config } = loadConfig(flags.config);
  const settings = await resolveAwsSettings(flags as AwsOptions, {
    identityCenter: true,
    note: (line) => io.err(line),
  });
  const runtime = createVerifyRuntime(settings, flags.assumeRole);
  const unpaced = async () => undefined;
  const sso = createSsoAdminClient(settings, unpaced);
  const store = createIdentityStoreClient(settings, unpaced);
  const adapter = createEntraAdapter({
    settings: resolveEntraSettings(config.entra, process.env, {}),
    env: process.env,
    prompt: (m) => io.err(m),
  });
  const now = new Date();
  try {
    const pre = await prerequisites(settings);
    const found = await instanceOf(instanceScope(sso), settings.region);
    // In a standalone account any instance is an account instance: applications only, nothing of this doctor's.
    const instance = pre.standalone ? null : found.instance;
    const checks = [
      ...pre.out,
      ...(pre.standalone
        ? await standaloneDoctor(pre.accounts[0], found.instance, flags.state ?? DEFAULT_STATE_PATH)
        : found.checks),
    ];
    if (instance)
      checks.push(
        ...(await samlAndPeople(adapter, { runtime, store }, flags, {
          region: settings.region,
          storeId: instance.identityStoreId,
          accounts: pre.accounts,
          now,
        })),
      );
    checks.push(...(await breakGlassDoctor(settings, flags)));
    if (instance)
      checks.push(
        ...(await identitySourceSwitch(adapter, store, instance.identityStoreId, flags.state ?? DEFAULT_STATE_PATH)),
      );
    const exitCode = doctorExitCode(checks, flags.strict === true);
    const errors = checks.filter((c) => c.status === 'error').length;
    const warnings = checks.filter((c) => c.status === 'warning').length;
    if (flags.json) printJson(io, { errors, warnings, exitCode, checks });
    else {
      for (const area of ['prerequisites', 'saml', 'provisioning', 'people', 'hardening', 'identity-source'] as const) {
        const mine = checks.filter((c) => c.area === area);
        if (!mine.length) continue;
        io.out(
          area === 'saml'
            ? 'SAML trust'
            : area === 'identity-source'
              ? 'Identity source switch'
              : area[0].toUpperCase() + area.slice(1),
        );
        for (const c of mine) {
          io.out(`  ${MARK[c.status]} ${c.title}: ${c.evidence}`);
          if (c.fix && c.status !== 'ok') io.out(`        fix: ${c.fix}`);
        }
      }
      io.out(`${errors} errors, ${warnings} warnings${flags.strict ? ' (--strict: warnings fail)' : ''}`);
    }
    if (exitCode) throw new ExitCode(exitCode);
    return checks;
  } finally {
    runtime.close();
    sso.destroy();
    store.destroy();
  }
}
