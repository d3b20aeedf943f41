import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Change, createdObject, deletedObject, ownerCheck, undoOf } from '../../../src/core/reconcile/changes.js';
import { collapseRemovedApps } from '../../../src/core/reconcile/changes-entra.js';
import { dependenciesOf, orderChanges } from '../../../src/core/reconcile/order.js';
import type { EnterpriseApp } from '../../../src/entra/ports.js';
import { tookEffect } from '../../../src/entra/setup-changes.js';
import { planSetup } from '../../../src/entra/setup-plan.js';

const APP = 'AWS IAM Identity Center';
const setupRun: Change[] = [
  { kind: 'entra.app.instantiate', app: APP, templateId: 't' },
  { kind: 'entra.sp.sso-mode', app: APP, to: 'saml', from: null },
  {
    kind: 'entra.app.saml-urls',
    app: APP,
    to: { identifierUris: ['https://sp/e'], redirectUris: ['https://sp/acs'] },
    from: { identifierUris: [], redirectUris: [] },
  },
  { kind: 'entra.sp.add-certificate', app: APP, displayName: 'CN=x', endDateTime: '2029-01-01T00:00:00.000Z' },
  { kind: 'entra.sp.preferred-certificate', app: APP, to: null, from: 'OLD', added: true },
  { kind: 'entra.sync.create-job', app: APP, templateId: 'aws' },
  { kind: 'entra.sync.save-credentials', app: APP, baseAddress: 'https://scim' },
  { kind: 'entra.sync.start', app: APP, templateId: 'aws' },
];

const app = (over: Partial<EnterpriseApp> = {}): EnterpriseApp => ({
  appObjectId: 'o',
  appId: 'a',
  servicePrincipalId: 's',
  displayName: APP,
  applicationTemplateId: 't',
  preferredSingleSignOnMode: null,
  preferredTokenSigningKeyThumbprint: null,
  identifierUris: [],
  redirectUris: [],
  signingCertificates: [],
  appRoles: [],
  ...over,
});

describe('the typed changes of entra setup', () => {
  it('owns the app it instantiates and changes nothing else of an app it does not own', () => {
    assert.deepEqual(createdObject(setupRun[0]), { kind: 'entra-app', key: APP.toLowerCase() });
    for (const c of setupRun.slice(1)) assert.deepEqual(ownerCheck(c), { kind: 'entra-app', key: APP.toLowerCase() });
    assert.deepEqual(deletedObject({ kind: 'entra.app.remove', app: APP }), {
      kind: 'entra-app',
      key: APP.toLowerCase(),
    });
  });

  it('undoes each setting back to the value read before it, and the app by removing it', () => {
    assert.deepEqual(undoOf(setupRun[0]), { kind: 'entra.app.remove', app: APP });
    assert.deepEqual(undoOf(setupRun[1]), { kind: 'entra.sp.sso-mode', app: APP, to: null, from: 'saml' });
    assert.deepEqual(
      (undoOf(setupRun[2]) as { to: unknown }).to,
      { identifierUris: [], redirectUris: [] },
      'the SAML URLs go back to the ones read before the run',
    );
    assert.deepEqual(undoOf(setupRun[4]), {
      kind: 'entra.sp.preferred-certificate',
      app: APP,
      to: 'OLD',
      from: null,
      added: false,
    });
    assert.equal(undoOf(setupRun[5])?.kind, 'entra.sync.delete-job');
    assert.equal(undoOf(setupRun[7])?.kind, 'entra.sync.pause');
    assert.equal(undoOf(setupRun[6]), null, 'the earlier SCIM token was never stored, so it cannot be put back');
  });

  it('runs everything on an app after its creation, and cancels it when the creation fails', () => {
    const ordered = orderChanges([...setupRun].reverse());
    assert.equal(ordered[0].kind, 'entra.app.instantiate');
    assert.equal(ordered.at(-1)!.kind, 'entra.sync.start');
    const deps = dependenciesOf(setupRun);
    for (const [id, needs] of deps)
      if (!id.startsWith('entra.app.instantiate'))
        assert.ok(needs.includes(`entra.app.instantiate:${APP.toLowerCase()}`), id);
    assert.ok(
      deps.get(`entra.sync.start:${APP.toLowerCase()}`)!.includes(`entra.sync.save-credentials:${APP.toLowerCase()}`),
    );
  });

  it('a rollback that removes the app leaves out the undos of its settings', () => {
    const undos = setupRun.map(undoOf).filter((u): u is Change => u !== null);
    assert.deepEqual(
      collapseRemovedApps(undos).map((u) => u.kind),
      ['entra.app.remove'],
    );
    const onExisting = setupRun
      .slice(1)
      .map(undoOf)
      .filter((u): u is Change => u !== null);
    assert.equal(collapseRemovedApps(onExisting).length, onExisting.length, 'nothing is left out when the app stays');
  });

  it('settles a killed call as done only when the live state shows it', () => {
    const live = app({ preferredSingleSignOnMode: 'saml' });
    assert.equal(
      tookEffect({ kind: 'entra.sp.sso-mode', app: APP, to: 'saml', from: null }, { app: live, jobs: [] }),
      true,
    );
    assert.equal(
      tookEffect({ kind: 'entra.app.instantiate', app: APP, templateId: 't' }, { app: null, jobs: [] }),
      false,
    );
    const job = { id: 'j', templateId: 'aws', scheduleState: 'Disabled', quarantined: false, lastExecutionState: null };
    assert.equal(
      tookEffect({ kind: 'entra.sync.create-job', app: APP, templateId: 'aws' }, { app: live, jobs: [job] }),
      true,
    );
    assert.equal(
      tookEffect({ kind: 'entra.sync.start', app: APP, templateId: 'aws' }, { app: live, jobs: [job] }),
      false,
    );
  });

  it('makes a usable certificate a killed run added the active one instead of adding another', () => {
    const live = app({
      preferredSingleSignOnMode: 'saml',
      signingCertificates: [{ keyId: 'k', thumbprint: 'NEW', endDateTime: '2029-01-01T00:00:00Z' }],
    });
    const steps = planSetup(
      {
        app: live,
        jobs: [],
        syncTemplateIds: [],
        credentialsWork: null,
        metadataFile: 'same',
        now: new Date('2026-12-06'),
      },
      { appName: APP, sp: null, federationMetadataOut: null, scimEndpoint: null, replaceCredentials: false },
    );
    assert.deepEqual(
      steps.filter((s) => s.change).map((s) => s.action),
      [{ kind: 'set-preferred-certificate', thumbprint: 'NEW' }],
    );
  });

  it('saves the federation metadata after the certificate it names, and puts the file back as it was on undo', () => {
    const save: Change = { kind: 'entra.file.federation-metadata', app: APP, path: '/m.xml', previous: '<old/>' };
    const first: Change = { ...save, previous: null };
    assert.deepEqual(undoOf(save), { kind: 'entra.file.restore', app: APP, path: '/m.xml', content: '<old/>' });
    assert.deepEqual(undoOf(first), { kind: 'entra.file.restore', app: APP, path: '/m.xml', content: null });
    assert.equal(undoOf(undoOf(save)!), null);
    assert.deepEqual(ownerCheck(save), { kind: 'entra-app', key: APP.toLowerCase() }, 'saved only for an owned app');
    assert.equal(ownerCheck(undoOf(save)!), null, 'the local file is put back even once the app is gone');
    const deps = dependenciesOf([...setupRun, save]).get(`entra.file.federation-metadata:${APP.toLowerCase()}`)!;
    assert.ok(deps.includes(`entra.sp.preferred-certificate:${APP.toLowerCase()}`), deps.join(' '));
    const undos = [...setupRun, first].map(undoOf).filter((u): u is Change => u !== null);
    assert.deepEqual(
      collapseRemovedApps(undos).map((u) => u.kind),
      ['entra.app.remove', 'entra.file.restore'],
      'removing the app does not take the local file with it',
    );
    const files = (content: string | null) => ({ app: null, jobs: [], files: new Map([['/m.xml', content]]) });
    assert.equal(tookEffect(save, files('<new/>')), true, 'the file changed: the save happened');
    assert.equal(tookEffect(save, files('<old/>')), false);
    assert.equal(tookEffect(first, files(null)), false);
    assert.equal(tookEffect(undoOf(first) as never, files(null)), true, 'removed again');
  });

  it('assigns a user to an owned app, owns that assignment, and removes only an assignment it made', () => {
    const assign: Change = { kind: 'entra.app.user-assign', app: APP, upn: 'Ana@Example.com' };
    const mine = { kind: 'entra-app-user-assignment', key: `${APP.toLowerCase()}|ana@example.com` };
    assert.deepEqual(ownerCheck(assign), { kind: 'entra-app', key: APP.toLowerCase() });
    assert.deepEqual(createdObject(assign), mine);
    const unassign = undoOf(assign)!;
    assert.deepEqual(unassign, { kind: 'entra.app.user-unassign', app: APP, upn: 'Ana@Example.com' });
    assert.deepEqual([ownerCheck(unassign), deletedObject(unassign)], [mine, mine]);
    const provision: Change = { kind: 'entra.sync.provision-user', app: APP, upn: 'ana@example.com' };
    assert.equal(undoOf(provision), null);
    assert.deepEqual(
      orderChanges([provision, assign]).map((c) => c.kind),
      ['entra.app.user-assign', 'entra.sync.provision-user'],
    );
    assert.deepEqual(
      dependenciesOf([assign, provision]).get(`entra.sync.provision-user:${APP.toLowerCase()}:ana@example.com`),
      [`entra.app.user-assign:${APP.toLowerCase()}:ana@example.com`],
    );
    const live = (upns: string[]) => ({ app: app(), jobs: [], assignedUpns: new Set(upns) });
    assert.equal(tookEffect(assign as never, live(['ana@example.com'])), true);
    assert.equal(tookEffect(assign as never, live([])), false);
    assert.equal(tookEffect(assign as never, { app: app(), jobs: [] }), false, 'unknown: planned again');
  });
});
