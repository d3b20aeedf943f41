import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectSamlFederation } from '../../src/core/direct-saml.js';
import type { PlannedSamlRole } from '../../src/core/plan-types.js';
import { type Change, changeId, undoOf } from '../../src/core/reconcile/changes.js';
import type { SamlRoleSnapshot } from '../../src/core/reconcile/changes-saml-retire.js';
import { dependenciesOf, orderChanges } from '../../src/core/reconcile/order.js';
import { assignmentKey, type SamlGateInput, samlRetireScope, samlRoleBlockers } from '../../src/core/saml-retire.js';

const A = '111111111111';
const PROVIDER = `arn:aws:iam::${A}:saml-provider/AzureAD`;
const DAY = 86_400_000;
const now = new Date('2026-03-01T12:00:00Z');

const entry: PlannedSamlRole = {
  accountId: A,
  role: 'Entra-Admin',
  provider: PROVIDER,
  permissionSets: ['AdministratorAccess'],
  groups: ['AWS-prod-AdministratorAccess'],
  members: ['ana@example.com'],
  via: ['group Admins'],
  parity: { gaps: [], acknowledged: [] } as unknown as PlannedSamlRole['parity'],
  blockedBy: [],
};

const fullTrack = [
  { since: new Date(now.getTime() - 90 * DAY).toISOString(), until: now.toISOString(), unreachable: [] },
];

function input(over: Partial<SamlGateInput> = {}): SamlGateInput {
  return {
    entry,
    record: null,
    now,
    watchDays: 30,
    uses: [],
    tracked: fullTrack,
    assigned: new Set([assignmentKey(A, 'AdministratorAccess', 'aws-prod-administratoraccess')]),
    ...over,
  };
}

const ids = (blockers: { id: string }[]) => blockers.map((b) => b.id);

describe('retiring direct SAML: the gates', () => {
  it('disables a role nobody used in the watch window, whose Identity Center replacement is assigned', () => {
    assert.deepEqual(samlRoleBlockers('disable', input()), []);
  });

  it('refuses to disable a role used in the window, naming the person, the time and the event', () => {
    const use = {
      upn: 'ana@example.com',
      accountId: A,
      role: 'Entra-Admin',
      lastTime: '2026-02-20T09:00:00Z',
      lastEventId: 'ev-1',
    };
    const old = { ...use, upn: 'bob@example.com', lastTime: '2025-12-01T09:00:00Z', lastEventId: 'ev-0' };
    const other = { ...use, role: 'Entra-ReadOnly', lastEventId: 'ev-2' };
    const blockers = samlRoleBlockers('disable', input({ uses: [use, old, other] }));
    assert.deepEqual(ids(blockers), ['use.in-window']);
    assert.match(blockers[0].message, /ana@example\.com .*2026-02-20T09:00:00Z \(event ev-1\)/);
    assert.doesNotMatch(blockers[0].message, /bob|ev-2/);
  });

  it('refuses while the replacing assignment is missing or Identity Center was not read, and while the plan blocks the role', () => {
    assert.deepEqual(ids(samlRoleBlockers('disable', input({ assigned: new Set() }))), ['iic.missing']);
    assert.deepEqual(ids(samlRoleBlockers('disable', input({ assigned: null }))), ['iic.not-read']);
    const blocked = { ...entry, blockedBy: ['parity: 1 unacknowledged gap'] };
    assert.deepEqual(ids(samlRoleBlockers('disable', input({ entry: blocked }))), ['plan.blocked']);
  });

  it('refuses when track never ran or left days of the window unread in the account', () => {
    assert.deepEqual(ids(samlRoleBlockers('disable', input({ tracked: [] }))), ['track.stale']);
    const partial = [
      { since: new Date(now.getTime() - 10 * DAY).toISOString(), until: now.toISOString(), unreachable: [] },
    ];
    const blockers = samlRoleBlockers('disable', input({ tracked: partial }));
    assert.deepEqual(ids(blockers), ['track.gap']);
    assert.match(blockers[0].message, /track --since 30d/);
    const skipped = [{ ...fullTrack[0], unreachable: [A] }];
    assert.deepEqual(ids(samlRoleBlockers('disable', input({ tracked: skipped }))), ['track.gap']);
  });

  it('deletes only after the disable stage stood the whole watch window with no use', () => {
    assert.deepEqual(ids(samlRoleBlockers('delete', input())), ['stage.previous']);
    const disabled = (daysAgo: number) => ({
      accountId: A,
      role: 'Entra-Admin',
      stage: 'disabled' as const,
      enteredAt: new Date(now.getTime() - daysAgo * DAY).toISOString(),
    });
    assert.deepEqual(ids(samlRoleBlockers('delete', input({ record: disabled(10) }))), ['window.open']);
    assert.deepEqual(samlRoleBlockers('delete', input({ record: disabled(31) })), []);
    const after = {
      upn: 'ana@example.com',
      accountId: A,
      role: 'Entra-Admin',
      lastTime: new Date(now.getTime() - 5 * DAY).toISOString(),
      lastEventId: 'ev-9',
    };
    assert.deepEqual(ids(samlRoleBlockers('delete', input({ record: disabled(31), uses: [after] }))), [
      'use.in-window',
    ]);
    assert.deepEqual(ids(samlRoleBlockers('delete', input({ record: { ...disabled(40), stage: 'deleted' } }))), [
      'stage.done',
    ]);
  });
});

describe('retiring direct SAML: what goes with the roles', () => {
  const federation: DirectSamlFederation = {
    accountId: A,
    providers: [{ arn: PROVIDER, roles: ['Entra-Admin', 'Entra-ReadOnly'] }],
    provisioningUsers: ['entra-provisioning'],
  };
  const entries = [entry, { ...entry, role: 'Entra-ReadOnly' }];

  it('keeps the provider, the provisioning user and the app while one role trusting the provider remains', () => {
    const scope = samlRetireScope([federation], entries, new Set([`${A}/Entra-Admin`]));
    assert.deepEqual(scope.providers, []);
    assert.deepEqual(scope.keptProviders, [{ arn: PROVIDER, why: 'still trusted by Entra-ReadOnly' }]);
    assert.deepEqual(scope.provisioningUsers, []);
    assert.deepEqual(scope.accountsDone, []);
  });

  it('retires the provider, the provisioning user and the app once every role is retired', () => {
    const scope = samlRetireScope([federation], entries, new Set([`${A}/Entra-Admin`, `${A}/Entra-ReadOnly`]));
    assert.deepEqual(scope.providers, [PROVIDER]);
    assert.deepEqual(scope.provisioningUsers, [`${A}/entra-provisioning`]);
    assert.deepEqual(scope.accountsDone, [A]);
  });

  it('keeps a provider trusted by a role the plan does not list', () => {
    const wider = { ...federation, providers: [{ arn: PROVIDER, roles: ['Entra-Admin', 'Entra-ReadOnly', 'Legacy'] }] };
    const scope = samlRetireScope([wider], entries, new Set([`${A}/Entra-Admin`, `${A}/Entra-ReadOnly`]));
    assert.deepEqual(scope.providers, []);
    assert.deepEqual(scope.provisioningUsers, []);
  });
});

describe('retiring direct SAML: order and undo', () => {
  const snapshot: SamlRoleSnapshot = {
    path: '/',
    trustPolicy: '{}',
    description: '',
    maxSessionDuration: 3600,
    permissionsBoundary: null,
    tags: [],
    attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    inlinePolicies: [],
  };
  const app = {
    accountId: A,
    servicePrincipalId: 'sp-1',
    appId: 'app-1',
    applicationId: 'obj-1',
    displayName: 'AWS prod',
  };
  const changes: Change[] = [
    { kind: 'saml.retire.app.delete', ...app },
    {
      kind: 'saml.retire.provider.delete',
      accountId: A,
      name: 'AzureAD',
      arn: PROVIDER,
      snapshot: { metadata: '<md/>', tags: [] },
    },
    {
      kind: 'iam.user.delete',
      accountId: A,
      userName: 'entra-provisioning',
      shape: { path: '/', tags: [], permissionsBoundary: null },
    },
    { kind: 'saml.retire.role.delete', accountId: A, roleName: 'Entra-Admin', snapshot },
  ];

  it('removes the roles, then the provider, then the provisioning user, then the app, each waiting for the one before', () => {
    assert.deepEqual(
      orderChanges(changes).map((c) => c.kind),
      ['saml.retire.role.delete', 'saml.retire.provider.delete', 'iam.user.delete', 'saml.retire.app.delete'],
    );
    const deps = dependenciesOf(changes);
    const [role, provider, user, appDelete] = orderChanges(changes).map(changeId);
    assert.deepEqual(deps.get(provider), [role]);
    assert.ok(deps.get(user)?.includes(provider));
    assert.ok(deps.get(appDelete)?.includes(role));
  });

  it('undoes each delete with the recreate from its snapshot, the provider before the roles that trust it', () => {
    const undos = changes.map((c) => undoOf(c)!);
    assert.deepEqual(undos[3], { kind: 'saml.retire.role.create', accountId: A, roleName: 'Entra-Admin', snapshot });
    assert.equal(undos[1].kind, 'saml.retire.provider.create');
    assert.equal(undos[0].kind, 'saml.retire.app.restore');
    const order = orderChanges(undos).map((c) => c.kind);
    assert.ok(order.indexOf('saml.retire.provider.create') < order.indexOf('saml.retire.role.create'));
    assert.deepEqual(undoOf({ kind: 'saml.retire.sp.disable', ...app }), { kind: 'saml.retire.sp.enable', ...app });
  });
});
