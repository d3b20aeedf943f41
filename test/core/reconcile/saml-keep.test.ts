import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PlannedOutsideAccount } from '../../../src/core/plan-types.js';
import type { OriginOf } from '../../../src/core/reconcile/adopt.js';
import {
  type Change,
  changeId,
  createdObject,
  describeChange,
  ownerCheck,
  undoOf,
} from '../../../src/core/reconcile/changes.js';
import { isSamlKeepChange, type SamlKeepChange } from '../../../src/core/reconcile/changes-saml-keep.js';
import { dependenciesOf } from '../../../src/core/reconcile/order.js';
import { diffSamlKeepAccount, type SamlKeepLive } from '../../../src/core/reconcile/saml-keep-diff.js';

const ACCOUNT = '222222222222';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const metadata = (cert: string) =>
  `<EntityDescriptor><KeyDescriptor use="signing"><X509Data><X509Certificate>${cert}</X509Certificate></X509Data></KeyDescriptor></EntityDescriptor>`;

const entry = (over: Partial<PlannedOutsideAccount> = {}): PlannedOutsideAccount => ({
  accountId: ACCOUNT,
  app: 'AWS Lab',
  provider: 'EntraID',
  roles: [{ name: 'Entra-Admin', policies: [ADMIN], groups: ['aws-lab-admins'] }],
  ...over,
});
const nothing = (): SamlKeepLive => ({ accountId: ACCOUNT, unreadable: null, app: null, provider: null, roles: [] });
const everything = (): SamlKeepLive => ({
  accountId: ACCOUNT,
  unreadable: null,
  app: {
    id: 'sp-1',
    configured: true,
    metadata: metadata('CERT-A'),
    appRoles: [{ accountId: ACCOUNT, roleName: 'Entra-Admin', provider: 'EntraID' }],
    assignments: [{ roleName: 'Entra-Admin', group: 'AWS-Lab-Admins' }],
  },
  provider: { arn: `arn:aws:iam::${ACCOUNT}:saml-provider/EntraID`, metadata: metadata('CERT-A') },
  roles: [{ name: 'Entra-Admin', arn: `arn:aws:iam::${ACCOUNT}:role/Entra-Admin`, policies: [ADMIN] }],
});
const none: OriginOf = () => null;
const allCreated: OriginOf = () => 'created';
const kinds = (cs: { kind: string }[]) => cs.map((c) => c.kind);

describe('saml.keep changes', () => {
  const all: SamlKeepChange[] = [
    { kind: 'saml.keep.app.create', accountId: ACCOUNT, app: 'AWS Lab', templateId: 't' },
    { kind: 'saml.keep.app.configure', accountId: ACCOUNT, app: 'AWS Lab' },
    { kind: 'saml.keep.provider.create', accountId: ACCOUNT, name: 'EntraID', app: 'AWS Lab', metadata: null },
    { kind: 'saml.keep.role.create', accountId: ACCOUNT, roleName: 'Entra-Admin', provider: 'EntraID' },
    { kind: 'saml.keep.role.attach', accountId: ACCOUNT, roleName: 'Entra-Admin', policyArn: ADMIN },
    {
      kind: 'saml.keep.app-role.add',
      accountId: ACCOUNT,
      app: 'AWS Lab',
      roleName: 'Entra-Admin',
      provider: 'EntraID',
    },
    { kind: 'saml.keep.assign', accountId: ACCOUNT, app: 'AWS Lab', roleName: 'Entra-Admin', group: 'g' },
  ];

  test('belong to the family by their set of kinds, not by a prefix', () => {
    assert.ok(all.every(isSamlKeepChange));
    assert.equal(isSamlKeepChange({ kind: 'saml.keep.bogus' }), false);
    assert.equal(isSamlKeepChange({ kind: 'saml.retire.provider.delete' }), false);
  });

  test('each create is undone by the removal of what it made, and that removal by the create again', () => {
    const undos = all.map((c) => undoOf(c as Change));
    assert.deepEqual(kinds(undos.filter((u) => u !== null) as Change[]), [
      'saml.keep.app.delete',
      'saml.keep.provider.delete',
      'saml.keep.role.delete',
      'saml.keep.role.detach',
      'saml.keep.app-role.remove',
      'saml.keep.unassign',
    ]);
    // Configuring is undone by removing the app.
    assert.equal(undos[1], null);
    for (const c of all.slice(4)) assert.deepEqual(undoOf(undoOf(c as Change)!), c);
    // A provider update goes back to the metadata it replaced.
    const update: Change = {
      kind: 'saml.keep.provider.update',
      accountId: ACCOUNT,
      name: 'EntraID',
      metadata: 'new',
      previous: 'old',
    };
    assert.deepEqual(undoOf(update), { ...update, metadata: 'old', previous: 'new' });
  });

  test('a create records what it makes; app roles and assignments need the app to be the tool’s, removals their object', () => {
    assert.deepEqual(createdObject(all[2] as Change), { kind: 'saml-provider', key: `${ACCOUNT}/entraid` });
    assert.equal(ownerCheck(all[3] as Change), null);
    assert.deepEqual(ownerCheck(all[5] as Change), { kind: 'saml-app', key: 'aws lab' });
    assert.deepEqual(ownerCheck(all[6] as Change), { kind: 'saml-app', key: 'aws lab' });
    assert.deepEqual(ownerCheck(undoOf(all[3] as Change)!), { kind: 'saml-role', key: `${ACCOUNT}/entra-admin` });
    assert.match(describeChange(all[5] as Change), /^\+ Entra app 'AWS Lab' app role Entra-Admin/);
  });

  test('run in order: app, its SAML setup, the provider from its metadata, the role trusting it, then what goes on them', () => {
    const deps = dependenciesOf(all as Change[]);
    const ids = all.map((c) => changeId(c as Change));
    const needs = (i: number, j: number) => deps.get(ids[i])!.includes(ids[j]);
    assert.ok(needs(1, 0), 'configure after create');
    assert.ok(needs(2, 1), 'provider after the app signs');
    assert.ok(needs(3, 2), 'role after its provider');
    assert.ok(needs(4, 3), 'policy after its role');
    assert.ok(needs(5, 3), 'app role after its role');
    assert.ok(needs(6, 5), 'assignment after its app role');
  });
});

describe('the changes of an account kept outside Identity Center', () => {
  test('nothing there: the app is made and set up, then the provider from its metadata, the role, its policy, app role and group', () => {
    const out = diffSamlKeepAccount(entry(), nothing(), none);
    assert.deepEqual(out.skipped, []);
    assert.deepEqual(kinds(out.changes), [
      'saml.keep.app.create',
      'saml.keep.app.configure',
      'saml.keep.provider.create',
      'saml.keep.role.create',
      'saml.keep.role.attach',
      'saml.keep.app-role.add',
      'saml.keep.assign',
    ]);
    // The metadata of an app made in the run is read when the provider is made.
    assert.equal((out.changes[2] as { metadata: string | null }).metadata, null);
  });

  test('everything in place and the tool’s: no change', () => {
    assert.deepEqual(diffSamlKeepAccount(entry(), everything(), allCreated), { changes: [], skipped: [] });
  });

  test('an existing app neither made nor adopted is refused, and nothing else in the account is touched', () => {
    const out = diffSamlKeepAccount(entry(), everything(), none);
    assert.deepEqual(out.changes, []);
    assert.deepEqual(
      out.skipped.map((s) => s.item),
      ["Entra app 'AWS Lab'"],
    );
    assert.match(out.skipped[0].reason, /set `adopt: true`/);
  });

  test('adopt: true adopts the app, provider and role as they are; the role’s policies are left alone, missing app roles and groups added', () => {
    const live = everything();
    live.roles[0].policies = [READ];
    live.app!.appRoles = [];
    live.app!.assignments = [];
    const planned = entry({
      adopt: true,
      roles: [{ name: 'Entra-Admin', policies: [ADMIN], groups: ['g'], adopt: true }],
    });
    const out = diffSamlKeepAccount(planned, live, none);
    assert.deepEqual(
      out.changes.map((c) => (c.kind === 'object.adopt' ? `adopt ${c.object.kind}` : c.kind)),
      ['adopt saml-app', 'adopt saml-provider', 'adopt saml-role', 'saml.keep.app-role.add', 'saml.keep.assign'],
    );
  });

  test('a role the tool made gets the planned policies: the missing attached, the others detached', () => {
    const live = everything();
    live.roles[0].policies = [READ];
    const out = diffSamlKeepAccount(entry(), live, allCreated);
    assert.deepEqual(
      out.changes.map((c) => [c.kind, (c as { policyArn?: string }).policyArn]),
      [
        ['saml.keep.role.attach', ADMIN],
        ['saml.keep.role.detach', READ],
      ],
    );
  });

  test('Entra’s signing certificate rotated: the owned provider is updated with the new metadata, and back on undo', () => {
    const live = everything();
    live.app!.metadata = metadata('CERT-B');
    const out = diffSamlKeepAccount(entry(), live, allCreated);
    assert.deepEqual(out.changes, [
      {
        kind: 'saml.keep.provider.update',
        accountId: ACCOUNT,
        name: 'EntraID',
        metadata: metadata('CERT-B'),
        previous: metadata('CERT-A'),
      },
    ]);
    // Whitespace in the certificate text is not a rotation.
    live.app!.metadata = metadata('CERT-\n A');
    assert.deepEqual(diffSamlKeepAccount(entry(), live, allCreated).changes, []);
  });

  test('a group assignment the tool made and the plan dropped is removed; one it did not make stays', () => {
    const live = everything();
    live.app!.assignments.push(
      { roleName: 'Entra-Admin', group: 'old-admins' },
      { roleName: 'Entra-Admin', group: 'theirs' },
    );
    const origin: OriginOf = (ref) =>
      ref.kind !== 'saml-app-assignment' || ref.key.endsWith('|old-admins') ? 'created' : null;
    assert.deepEqual(diffSamlKeepAccount(entry(), live, origin).changes, [
      { kind: 'saml.keep.unassign', accountId: ACCOUNT, app: 'AWS Lab', roleName: 'Entra-Admin', group: 'old-admins' },
    ]);
  });

  test('a role and app role the tool made that the plan dropped are removed, policies first; one it did not make stays', () => {
    const live = everything();
    live.roles.push(
      { name: 'Old-Ops', arn: `arn:aws:iam::${ACCOUNT}:role/Old-Ops`, policies: [READ] },
      { name: 'Theirs', arn: `arn:aws:iam::${ACCOUNT}:role/Theirs`, policies: [] },
    );
    live.app!.appRoles.push({ accountId: ACCOUNT, roleName: 'Old-Ops', provider: 'EntraID' });
    const origin: OriginOf = (ref) => (ref.key.toLowerCase().includes('theirs') ? null : 'created');
    const out = diffSamlKeepAccount(entry(), live, origin);
    assert.deepEqual(out.changes, [
      { kind: 'saml.keep.role.detach', accountId: ACCOUNT, roleName: 'Old-Ops', policyArn: READ },
      { kind: 'saml.keep.role.delete', accountId: ACCOUNT, roleName: 'Old-Ops' },
      {
        kind: 'saml.keep.app-role.remove',
        accountId: ACCOUNT,
        app: 'AWS Lab',
        roleName: 'Old-Ops',
        provider: 'EntraID',
      },
    ]);
    const deps = dependenciesOf(out.changes as Change[]);
    assert.deepEqual(
      deps.get(changeId(out.changes[1] as Change)),
      [changeId(out.changes[0] as Change), changeId(out.changes[2] as Change)].sort(),
    );
  });

  test('after a run stopped part way (app and provider made, nothing else), running again makes only the rest', () => {
    const live = everything();
    live.roles = [];
    live.app!.appRoles = [];
    live.app!.assignments = [];
    assert.deepEqual(kinds(diffSamlKeepAccount(entry(), live, allCreated).changes), [
      'saml.keep.role.create',
      'saml.keep.role.attach',
      'saml.keep.app-role.add',
      'saml.keep.assign',
    ]);
    // Its app was made but not yet set up for SAML: set up, and the provider is made from the metadata then.
    live.app!.configured = false;
    live.provider = null;
    assert.deepEqual(kinds(diffSamlKeepAccount(entry(), live, allCreated).changes).slice(0, 2), [
      'saml.keep.app.configure',
      'saml.keep.provider.create',
    ]);
  });

  test('an account that could not be read gets no change, only the reason', () => {
    const out = diffSamlKeepAccount(entry(), { ...nothing(), unreadable: 'could not be read (AccessDenied)' }, none);
    assert.deepEqual(out, {
      changes: [],
      skipped: [{ item: `account ${ACCOUNT}`, reason: 'could not be read (AccessDenied)' }],
    });
  });
});
