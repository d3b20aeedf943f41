import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Io } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/config.js';
import { entraNeed } from '../../src/core/reconcile/identity-source.js';
import type { EnterpriseApp } from '../../src/entra/ports.js';
import { graphScope, resolveEntraSettings, type SettingsContext } from '../../src/entra/settings.js';
import { DEFAULT_APP_NAME, planSetup, type SetupDesired, type SetupLive } from '../../src/entra/setup-plan.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const SP = { entityId: 'https://sp/entity', acsUrl: 'https://sp/acs', acsUrls: ['https://sp/acs'], nameIdFormats: [] };
const DESIRED: SetupDesired = {
  appName: DEFAULT_APP_NAME,
  sp: SP,
  federationMetadataOut: '/tmp/fed.xml',
  scimEndpoint: 'https://scim.example/abc/scim/v2',
  replaceCredentials: false,
};

function configuredApp(overrides: Partial<EnterpriseApp> = {}): EnterpriseApp {
  return {
    appObjectId: 'obj',
    appId: 'app',
    servicePrincipalId: 'sp',
    displayName: DEFAULT_APP_NAME,
    applicationTemplateId: '21ed01d2-ec13-4e9e-86c1-cd546719ebc4',
    preferredSingleSignOnMode: 'saml',
    preferredTokenSigningKeyThumbprint: 'AAAA',
    identifierUris: [SP.entityId],
    redirectUris: [SP.acsUrl],
    signingCertificates: [{ keyId: 'k', thumbprint: 'AAAA', endDateTime: '2028-01-01T00:00:00Z' }],
    appRoles: [],
    ...overrides,
  };
}

function live(overrides: Partial<SetupLive> = {}): SetupLive {
  return {
    app: configuredApp(),
    jobs: [
      { id: 'job', templateId: 'aws', scheduleState: 'Active', quarantined: false, lastExecutionState: 'Succeeded' },
    ],
    syncTemplateIds: ['aws'],
    credentialsWork: true,
    metadataFile: 'same',
    now: NOW,
    ...overrides,
  };
}

const changed = (steps: ReturnType<typeof planSetup>) => steps.filter((s) => s.change).map((s) => s.action.kind);

describe('entra setup plan', () => {
  it('plans every step for an empty tenant', () => {
    const steps = planSetup(
      live({ app: null, jobs: [], syncTemplateIds: [], credentialsWork: null, metadataFile: 'unknown' }),
      DESIRED,
    );
    assert.deepEqual(changed(steps), [
      'create-app',
      'set-saml-mode',
      'set-saml-urls',
      'add-signing-certificate',
      'set-preferred-certificate',
      'save-federation-metadata',
      'create-provisioning-job',
      'save-provisioning-credentials',
      'start-provisioning',
    ]);
  });

  it('changes nothing when everything is in place, and still lists every step', () => {
    const steps = planSetup(live(), DESIRED);
    assert.deepEqual(changed(steps), []);
    assert.equal(steps.length, 8);
  });

  it('replaces a signing certificate that expires within 60 days and refreshes the metadata file', () => {
    const soon = configuredApp({
      signingCertificates: [{ keyId: 'k', thumbprint: 'AAAA', endDateTime: '2026-04-01T00:00:00Z' }],
    });
    assert.deepEqual(changed(planSetup(live({ app: soon }), DESIRED)), [
      'add-signing-certificate',
      'set-preferred-certificate',
      'save-federation-metadata',
    ]);
  });

  it('fixes only what drifted: SAML URLs, broken credentials, a quarantined job', () => {
    const drifted = live({
      app: configuredApp({ redirectUris: ['https://old/acs'] }),
      credentialsWork: false,
      jobs: [
        { id: 'job', templateId: 'aws', scheduleState: 'Active', quarantined: true, lastExecutionState: 'Failed' },
      ],
    });
    assert.deepEqual(changed(planSetup(drifted, DESIRED)), [
      'set-saml-urls',
      'save-provisioning-credentials',
      'start-provisioning',
    ]);
  });

  it('leaves SAML URLs and provisioning alone when no SP metadata or SCIM endpoint is given', () => {
    const steps = planSetup(live({ app: configuredApp({ identifierUris: [] }) }), {
      ...DESIRED,
      sp: null,
      scimEndpoint: null,
    });
    assert.ok(!steps.some((s) => s.action.kind === 'set-saml-urls' || s.action.kind === 'create-provisioning-job'));
    assert.deepEqual(changed(steps), []);
  });
});

describe('Entra settings and the entra: config section', () => {
  it('takes flags over environment over file, and defaults to the public cloud', () => {
    const s = resolveEntraSettings(
      { tenantId: 'file-tenant', clientId: 'file-client', credential: 'client-secret' },
      { AZURE_TENANT_ID: 'env-tenant', AZURE_CLIENT_SECRET: 'x' },
      { clientId: 'flag-client' },
    );
    assert.equal(s.tenantId, 'env-tenant');
    assert.equal(s.clientId, 'flag-client');
    assert.equal(s.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(s.graphEndpoint, 'https://graph.microsoft.com');
    assert.equal(resolveEntraSettings(undefined, { AZURE_TENANT_ID: 't' }).credential, 'azure-cli');
    assert.throws(() => resolveEntraSettings({ tenantId: 't', credential: 'client-secret' }, {}), /client id/);
    assert.throws(() => resolveEntraSettings(undefined, {}), /AZURE_TENANT_ID/);
    assert.throws(
      () => resolveEntraSettings({ tenantId: 't', graphEndpoint: 'http://graph.local' }, {}),
      /must be an https URL/,
    );
  });

  it('a missing tenant or client id names only flags the command has', () => {
    const program = buildProgram({ out: () => {}, err: () => {}, outIsTty: false } as unknown as Io);
    const flagsOf = (name: string) => {
      const cmd = program.commands.find((c) => c.name() === name)!;
      return new Set(cmd.options.map((o) => o.long));
    };
    const entraSetup = program.commands.find((c) => c.name() === 'entra')!.commands.find((c) => c.name() === 'setup')!;
    const cases: [Set<string | undefined>, SettingsContext][] = [
      [flagsOf('apply'), { why: entraNeed('scim') }],
      [flagsOf('sync'), {}],
      [flagsOf('plan'), { why: entraNeed('iam2sso-sync') }],
      [new Set(entraSetup.options.map((o) => o.long)), { flags: true }],
    ];
    for (const [flags, context] of cases)
      for (const file of [undefined, { tenantId: 't', credential: 'client-secret' as const }]) {
        const error = (() => {
          try {
            resolveEntraSettings(file, {}, {}, context);
          } catch (e) {
            return (e as Error).message;
          }
          return '';
        })();
        assert.match(error, /AZURE_(TENANT|CLIENT)_ID/);
        for (const named of error.match(/--[a-z-]+/g) ?? []) assert.ok(flags.has(named), `${named} in: ${error}`);
      }
    assert.throws(() => resolveEntraSettings(undefined, {}, {}, { flags: true }), /or pass --tenant-id/);
    assert.throws(
      () => resolveEntraSettings(undefined, {}, {}, { why: entraNeed('scim') }),
      /identitySource scim .* with identitySource: external apply and plan work on the AWS side only/,
    );
  });

  it('asks national clouds for their own Graph resource and everything else for the global one', () => {
    assert.equal(graphScope('https://graph.microsoft.us'), 'https://graph.microsoft.us/.default');
    assert.equal(
      graphScope('https://microsoftgraph.chinacloudapi.cn'),
      'https://microsoftgraph.chinacloudapi.cn/.default',
    );
    assert.equal(graphScope('https://127.0.0.1:8443'), 'https://graph.microsoft.com/.default');
  });

  it('reads the entra: section and refuses a secret in the file, naming the variable to use', () => {
    const ok = parseConfig('entra:\n  tenantId: t1\n  clientId: c1\n  credential: certificate\n', 'iam2sso.yaml');
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.config.entra, { tenantId: 't1', clientId: 'c1', credential: 'certificate' });
    const bad = parseConfig(
      'entra:\n  tenantId: t1\n  clientSecret: hunter2\n  credential: password\n  graphEndpoint: http://x\n',
      'iam2sso.yaml',
    );
    const messages = bad.problems.map((p) => `${p.line}: ${p.message}`);
    assert.equal(messages.length, 3);
    assert.match(messages[0], /^3: entra\.clientSecret: secrets are never read from the file; set AZURE_CLIENT_SECRET/);
    assert.match(
      messages[1],
      /^4: entra\.credential must be one of client-secret, certificate, azure-cli, device-code/,
    );
    assert.match(messages[2], /^5: entra\.graphEndpoint must be an https URL/);
    assert.ok(!messages.join('\n').includes('hunter2'));
  });
});
