import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildScenario } from '@iam2sso/sandbox/scenarios/index.js';
import type { Manifest } from '@iam2sso/sandbox/scenarios/types.js';
import { ScenarioFileError } from '@iam2sso/sandbox/scenarios/yaml-reader.js';
import type { Io } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

const EXAMPLE = 'examples/scenario.yaml';
const dir = mkdtempSync(join(tmpdir(), 'iam2sso-scenario-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (s) => {
      out += `${s}\n`;
    },
    err: (s) => {
      err += `${s}\n`;
    },
    isTty: false,
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('scenario YAML files', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the example estate with the traits its comments promise', () => {
    const { world, manifest } = buildScenario({ scenario: EXAMPLE, seed: 1 });
    assert.equal(manifest.managementAccountId, '111111111111');
    assert.deepEqual(
      manifest.accounts.map((a) => [a.name, a.ou, a.rootTraits]),
      [
        ['management', '', []],
        ['production', 'Workloads/Prod', ['root-without-mfa']],
        ['development', 'Workloads/NonProd', ['root-access-keys']],
      ],
    );
    const user = (name: string) => manifest.users.find((u) => u.userName === name)!;
    assert.deepEqual(user('john.smith').traits, ['console-and-keys', 'console-without-mfa']);
    assert.deepEqual(user('ci-deployer').traits, ['key-never-used', 'key-older-than-90-days', 'two-active-keys']);
    assert.deepEqual(user('priya.patel').traits, ['admin-attached-directly', 'key-older-than-90-days']);
    assert.deepEqual(user('jane.doe').traits, []);
    assert.equal(user('old.contractor').leaver, true);
    assert.equal(user('breakglass-admin').category, 'break-glass');
    assert.equal(user('sandbox-operator').operator, true, 'the operator is added when the file has none');

    const management = world.account('111111111111').iam;
    assert.ok(management.groups.has('Billing'));
    assert.deepEqual(management.users.get('jane.doe')?.groups, ['Admins', 'Billing']);
    const production = world.account(manifest.accounts[1].id).iam;
    assert.equal(production.groups.has('Billing'), false, 'account groups stay in their account');
    const dev = production.policies.get(`arn:aws:iam::${manifest.accounts[1].id}:policy/DevS3AndEC2Access`)!;
    assert.deepEqual(
      dev.versions.map((v) => [v.versionId, v.isDefault]),
      [
        ['v1', false],
        ['v2', true],
      ],
    );
    assert.deepEqual(production.groups.get('ReadOnly')?.attachedPolicies, [
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
    const priya = production.users.get('priya.patel')!;
    assert.equal(priya.permissionsBoundary, `arn:aws:iam::${manifest.accounts[1].id}:policy/DeveloperBoundary`);
    assert.equal(priya.sshPublicKeys.length, 1);
    assert.equal(production.users.get('ci-deployer')?.path, '/service-accounts/');
    assert.equal(
      production.users.get('ci-deployer')?.serviceSpecificCredentials[0].serviceName,
      'codecommit.amazonaws.com',
    );
  });

  it('prints the manifest of a scenario file through the CLI', async () => {
    const r = await cli(['sandbox', 'manifest', '--scenario', EXAMPLE, '--json']);
    assert.equal(r.code, 0, r.err);
    const manifest = JSON.parse(r.out) as Manifest;
    assert.equal(manifest.scenario, EXAMPLE);
    assert.equal(manifest.users.length, 9);
  });

  it('reports every mistake of a scenario file with its line', async () => {
    const path = file(
      'bad.yaml',
      [
        'domain: example.com', // 1
        'accounts:', // 2
        '  - name: management', // 3
        '    users:', // 4
        '      - name: jane', // 5
        '        category: human-consle', // 6
        '        pasword: true', // 7
        '        groups: [Nope]', // 8
        '        keys:', // 9
        '          - { ageDays: 10, lastUsedDaysAgo: 20 }', // 10
        '      - name: bob', // 11
        '        category: service', // 12
        '        policies: [NotAPolicy]', // 13
      ].join('\n'),
    );
    assert.throws(
      () => buildScenario({ scenario: path, seed: 1 }),
      (e: unknown) => {
        assert.ok(e instanceof ScenarioFileError);
        assert.deepEqual(
          e.problems.map((p) => p.line),
          [6, 7, 8, 10, 13],
        );
        assert.match(e.problems[0].message, /"category" must be one of .* not "human-consle"/);
        assert.match(e.problems[1].message, /unknown field "pasword"/);
        assert.match(e.problems[2].message, /no group "Nope"/);
        assert.match(e.problems[3].message, /last used before it was created/);
        assert.match(e.problems[4].message, /no policy "NotAPolicy"/);
        return true;
      },
    );
    const r = await cli(['sandbox', 'manifest', '--scenario', path]);
    assert.equal(r.code, 1);
    assert.match(r.err, /5 problems found/);
    assert.ok(r.err.includes(`${path}:7: unknown field "pasword"`), r.err);
  });

  it('reports a YAML syntax error with its line', async () => {
    const path = file('broken.yaml', 'accounts:\n  - name: a\n    users: [\n      - x\n');
    const r = await cli(['sandbox', 'manifest', '--scenario', path]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `));
  });

  it('refuses a scenario that is neither a size nor a file as a usage error', async () => {
    const r = await cli(['sandbox', 'manifest', '--scenario', 'enormous']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--scenario takes small, medium, large or the path of a YAML file/);
  });
});
