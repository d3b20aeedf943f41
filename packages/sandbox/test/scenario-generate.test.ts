import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsManagedPolicyByArn } from '@iam2sso/managed-policies';
import { buildScenario } from '../src/scenarios/index.js';
import type { FindingKind } from '../src/scenarios/types.js';
import type { World } from '../src/world/world.js';

const NOW = new Date('2026-03-02T10:00:00Z');

/** Everything generated, as comparable text (Maps turned into arrays). */
function dumpWorld(world: World): string {
  return JSON.stringify([...world.accounts.values()], (_key, value) =>
    value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value] : value,
  );
}

const ALL_TRAITS: FindingKind[] = [
  'console-without-mfa',
  'admin-attached-directly',
  'key-older-than-90-days',
  'key-unused-90-days',
  'key-never-used',
  'two-active-keys',
  'password-unused-90-days',
  'console-and-keys',
];

describe('scenario generator', () => {
  it('builds the same estate byte for byte from the same seed, and another from another seed', () => {
    const a = buildScenario({ scenario: 'small', seed: 42, now: NOW });
    const b = buildScenario({ scenario: 'small', seed: 42, now: NOW });
    const c = buildScenario({ scenario: 'small', seed: 43, now: NOW });
    assert.equal(JSON.stringify(a.manifest), JSON.stringify(b.manifest));
    assert.equal(dumpWorld(a.world), dumpWorld(b.world));
    assert.equal(a.operator.accessKeyId, b.operator.accessKeyId);
    assert.notEqual(JSON.stringify(a.manifest.users), JSON.stringify(c.manifest.users));
    assert.notEqual(dumpWorld(a.world), dumpWorld(c.world));
  });

  it('keeps the manifest identical whatever the time it is built at', () => {
    const a = buildScenario({ scenario: 'small', seed: 5, now: NOW });
    const b = buildScenario({ scenario: 'small', seed: 5, now: new Date(NOW.getTime() + 40 * 86_400_000) });
    assert.deepEqual(a.manifest, b.manifest);
  });

  it('makes small about 60 users in 4 accounts and honours --accounts and --users-per-account', () => {
    const small = buildScenario({ scenario: 'small', seed: 1, now: NOW });
    assert.equal(small.manifest.accounts.length, 4);
    assert.equal(small.world.accounts.size, 4);
    const generated = small.manifest.users.filter((u) => !u.operator);
    assert.equal(generated.length, 60);
    const custom = buildScenario({ scenario: 'small', seed: 1, now: NOW, accounts: 7, usersPerAccount: 9 });
    assert.equal(custom.manifest.accounts.length, 7);
    assert.equal(custom.manifest.users.filter((u) => !u.operator).length, 63);
    for (const account of custom.manifest.accounts)
      assert.equal(custom.manifest.users.filter((u) => u.accountId === account.id && !u.operator).length, 9);
  });

  it('builds tiny and lopsided estates: one account, no users, few users, many users', () => {
    for (const [accounts, usersPerAccount] of [
      [1, 0],
      [1, 1],
      [2, 2],
      [3, 5],
      [2, 120],
    ]) {
      const { world, manifest } = buildScenario({ scenario: 'small', seed: 3, now: NOW, accounts, usersPerAccount });
      assert.equal(manifest.accounts.length, accounts);
      assert.equal(manifest.users.length, accounts * usersPerAccount + 1, `${accounts} x ${usersPerAccount}`);
      for (const u of manifest.users) assert.ok(world.account(u.accountId).iam.users.has(u.userName));
      assert.equal(manifest.accounts.flatMap((a) => a.rootTraits).length, 2);
    }
  });

  it('makes large 50 accounts of 100 users (generation time printed)', () => {
    const started = performance.now();
    const large = buildScenario({ scenario: 'large', seed: 1, now: NOW });
    const ms = performance.now() - started;
    let events = 0;
    for (const account of large.world.accounts.values()) events += account.trail.events.length;
    console.log(
      `# large: ${large.manifest.users.length} users, ${events} CloudTrail events, built in ${ms.toFixed(0)} ms`,
    );
    assert.equal(large.manifest.accounts.length, 50);
    assert.equal(large.manifest.users.filter((u) => !u.operator).length, 5000);
    const ids = new Set(large.manifest.accounts.map((a) => a.id));
    assert.equal(ids.size, 50);
    let iamUsers = 0;
    for (const account of large.world.accounts.values()) iamUsers += account.iam.users.size;
    assert.equal(iamUsers, large.manifest.users.length);
  });

  it('puts every category and every finding kind in small, with one root without MFA and one with keys', () => {
    const { manifest } = buildScenario({ scenario: 'small', seed: 1, now: NOW });
    const categories = new Set(manifest.users.map((u) => u.category));
    assert.deepEqual([...categories].sort(), [
      'break-glass',
      'human-console',
      'human-programmatic',
      'service',
      'stale',
    ]);
    const traits = new Set(manifest.users.flatMap((u) => u.traits));
    for (const kind of ALL_TRAITS) assert.ok(traits.has(kind), `no user with ${kind}`);
    const roots = manifest.accounts.flatMap((a) => a.rootTraits);
    assert.deepEqual(roots.filter((t) => t === 'root-without-mfa').length, 1);
    assert.deepEqual(roots.filter((t) => t === 'root-access-keys').length, 1);
    assert.equal(manifest.users.filter((u) => u.category === 'break-glass').length, 1);
  });

  it('gives people UPNs and marks the operator and the leavers', () => {
    const { manifest } = buildScenario({ scenario: 'medium', seed: 9, now: NOW });
    for (const u of manifest.users) {
      if (u.category === 'human-console' || u.category === 'human-programmatic' || u.category === 'break-glass')
        assert.match(u.upn ?? '', /^[a-z]+\.[a-z]+\d*@example\.com$/, `${u.userName} has no UPN`);
      if (u.category === 'service') assert.equal(u.upn, undefined);
      if (u.leaver) assert.equal(u.category, 'stale');
    }
    const operators = manifest.users.filter((u) => u.operator);
    assert.deepEqual(
      operators.map((u) => [u.accountId, u.userName, u.category]),
      [[manifest.managementAccountId, 'sandbox-operator', 'human-programmatic']],
    );
    const upns = new Map<string, number>();
    for (const u of manifest.users) if (u.upn && !u.leaver) upns.set(u.upn, (upns.get(u.upn) ?? 0) + 1);
    assert.ok(
      [...upns.values()].some((n) => n > 1),
      'some people have users in several accounts',
    );
  });

  it('builds the organization: OUs, accounts placed, OrganizationAccountAccessRole, Identity Center', () => {
    const { world, manifest } = buildScenario({ scenario: 'medium', seed: 2, now: NOW });
    const org = world.organization!;
    assert.equal(org.managementAccountId, manifest.managementAccountId);
    const ouName = (id: string): string => {
      const unit = org.units.get(id);
      if (!unit) return '';
      const parent = ouName(unit.parentId);
      return parent ? `${parent}/${unit.name}` : unit.name;
    };
    for (const unit of ['Security', 'Workloads/Prod', 'Workloads/NonProd', 'Sandbox'])
      assert.ok(
        [...org.units.keys()].some((id) => ouName(id) === unit),
        `no OU ${unit}`,
      );
    for (const account of manifest.accounts) {
      assert.equal(ouName(org.accounts.get(account.id)!.parentId), account.ou);
      const iam = world.account(account.id).iam;
      if (account.id === manifest.managementAccountId) continue;
      const role = iam.roles.get('OrganizationAccountAccessRole')!;
      assert.equal(role.path, '/');
      assert.deepEqual(role.attachedPolicies, ['arn:aws:iam::aws:policy/AdministratorAccess']);
      const trust = JSON.parse(role.assumeRolePolicyDocument);
      assert.equal(trust.Statement[0].Principal.AWS, `arn:aws:iam::${manifest.managementAccountId}:root`);
      assert.equal(trust.Statement[0].Action, 'sts:AssumeRole');
    }
    assert.ok(manifest.accounts.filter((a) => a.alias).length >= manifest.accounts.length * 0.7);
    assert.equal(world.sso?.ownerAccountId, manifest.managementAccountId);
    const unassigned = [...world.accounts.values()]
      .flatMap((a) => [...a.iam.mfaDevices.values()])
      .filter((d) => !d.userName);
    assert.equal(unassigned.length, 1, 'one virtual MFA device was created and never assigned');
  });

  it('attaches only real AWS managed policy ARNs and existing customer managed policies', () => {
    const { world } = buildScenario({ scenario: 'medium', seed: 3, now: NOW });
    for (const account of world.accounts.values()) {
      const holders = [...account.iam.users.values(), ...account.iam.groups.values(), ...account.iam.roles.values()];
      const arns = holders.flatMap((h) => h.attachedPolicies);
      for (const u of account.iam.users.values()) if (u.permissionsBoundary) arns.push(u.permissionsBoundary);
      for (const arn of arns) {
        if (arn.startsWith('arn:aws:iam::aws:policy/')) assert.ok(awsManagedPolicyByArn(arn), `${arn} is not real`);
        else assert.ok(account.iam.policies.has(arn), `${arn} does not exist in ${account.id}`);
      }
      for (const policy of account.iam.policies.values()) {
        assert.equal(policy.versions.filter((v) => v.isDefault).length, 1);
        assert.ok(policy.versions.length <= 5);
      }
    }
  });
});
