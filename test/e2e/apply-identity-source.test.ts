import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CreateGroupCommand, IdentitystoreClient, paginateListGroups } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, paginateListAccountAssignments, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { parseDocument } from 'yaml';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { loadPendingDiff } from '../../src/store/computed-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';
import { runIam2sso } from '../helpers/cli.js';

type Report = { created: string[]; skipped: { item: string; reason: string }[] };

describe('apply and sync follow the plan identity source (end to end on the sandbox)', () => {
  let w: ApplyWorld;
  let awsOnly: Record<string, string>;
  before(async () => {
    w = await startApplyWorld();
    // Nothing that reaches Entra: no tenant, client, secret or Graph endpoint.
    awsOnly = Object.fromEntries(
      Object.entries(w.env).filter(([k]) => !k.startsWith('AZURE_') && k !== 'IAM2SSO_GRAPH_ENDPOINT'),
    );
  });
  after(async () => {
    await w?.close();
  });
  const storedPending = async () => {
    const db = await openStateDb(w.statePath);
    try {
      return loadPendingDiff(db, w.planPath);
    } finally {
      db.close();
    }
  };
  const setSource = (value: string) => {
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    doc.set('identitySource', value);
    writeFileSync(w.planPath, doc.toString());
  };

  it('external: applies the AWS side without Entra credentials, assigns groups already in the Identity Store, says what to create', async () => {
    assert.equal(w.plan().identitySource, 'iam2sso-sync', 'plan writes the default source');
    setSource('external');
    const config = sdkConfig(w.sandbox);
    const sso = new SSOAdminClient(config);
    const store = new IdentitystoreClient(config);
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances![0];
    const plan = w.plan();
    const [fed, ...missing] = plan.groups.filter((g) => g.assignments.length > 0);
    // Someone else's feed has created one of the planned groups.
    const fedId = (
      await store.send(new CreateGroupCommand({ IdentityStoreId: instance.IdentityStoreId, DisplayName: fed.name }))
    ).GroupId!;
    // A dry run first: the dashboard gets the pending diff it computed.
    const dry = await runIam2sso(['apply', '--dry-run', '--plan', w.planPath, '--state', w.statePath], awsOnly);
    assert.equal(dry.status, 0, dry.stderr);
    const pending = await storedPending();
    assert.equal(pending?.command, 'apply --dry-run');
    assert.ok(
      pending?.lines.some((l) => l.startsWith('+ permission set ')),
      JSON.stringify(pending?.lines),
    );
    const r = await runIam2sso(
      ['apply', '--auto-approve', '--json', '--no-progress', '--plan', w.planPath, '--state', w.statePath],
      awsOnly,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Identity source external: .*no Entra credentials used/);
    assert.doesNotMatch(r.stderr, /\[\s*\d+\/\d+\]/, '--no-progress: no per-change lines');
    const report = r.json<Report>();
    const left = await storedPending();
    assert.deepEqual([left?.command, left?.lines], ['apply', []], 'after apply nothing made is left pending');
    assert.ok(left?.skipped.some((s) => s.item === `group ${missing[0].name}`));
    const waiting = report.skipped.find((s) => s.item === `group ${missing[0].name}`);
    assert.match(waiting?.reason ?? '', /create the group .* in your identity source .* then run apply again/);
    assert.equal(w.plan().permissionSets.length, w.sandbox.world.sso!.permissionSets.size, 'every permission set made');
    // The fed group holds its planned assignments; no group was created anywhere by apply.
    const a = fed.assignments[0];
    const psArn = [...w.sandbox.world.sso!.permissionSets.values()].find(
      (p) => p.name === a.permissionSet,
    )!.permissionSetArn;
    const principals: string[] = [];
    for await (const page of paginateListAccountAssignments(
      { client: sso },
      { InstanceArn: instance.InstanceArn, AccountId: a.accountId, PermissionSetArn: psArn },
    ))
      for (const x of page.AccountAssignments ?? []) principals.push(x.PrincipalId!);
    assert.deepEqual(principals, [fedId]);
    const storeNames: string[] = [];
    for await (const page of paginateListGroups({ client: store }, { IdentityStoreId: instance.IdentityStoreId }))
      for (const g of page.Groups ?? []) storeNames.push(g.DisplayName!);
    assert.deepEqual(storeNames, [fed.name]);
    assert.equal(
      [...w.sandbox.world.entra!.groups.values()].filter((g) => g.displayName.startsWith('AWS-')).length,
      0,
      'no Entra group created',
    );
    // The operator creates a waiting group; apply again assigns it, one progress line per change.
    await store.send(
      new CreateGroupCommand({ IdentityStoreId: instance.IdentityStoreId, DisplayName: missing[0].name }),
    );
    const again = await runIam2sso(['apply', '--auto-approve', '--plan', w.planPath, '--state', w.statePath], awsOnly);
    assert.equal(again.status, 0, again.stderr);
    const lines = again.stderr.split('\n').filter((l) => /^\s+\[\s*\d+\/\d+\] \+ /.test(l));
    assert.equal(lines.length, missing[0].assignments.length, again.stderr);
    assert.ok(
      lines.every((l) => l.includes(missing[0].name)),
      lines.join('\n'),
    );
  });

  it('sync refuses plainly when the plan says another identity source feeds the Identity Store', async () => {
    setSource('scim');
    const r = await w.run(['sync', '--plan', w.planPath, '--state', w.statePath, '--no-progress']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /sync refused: .* identitySource: scim, so Entra's SCIM provisioning feeds the Identity Store/,
    );
  });
});
