import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CreateGroupCommand, IdentitystoreClient, paginateListGroups } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, paginateListAccountAssignments, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { parseDocument } from 'yaml';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME } from '../../src/entra/setup-plan.js';
import { loadPendingDiff } from '../../src/store/computed-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { listRuns } from '../../src/store/runs-repo.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';
import { sandboxAdapter } from '../entra/adapter-kit.js';
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

  it('scim: apply makes the Entra groups, waits for the provisioning cycle to bring them, then assigns them; rollback undoes it', async () => {
    setSource('scim');
    const world = w.sandbox.world;
    const scim = (await (
      await fetch(`${w.sandbox.info.endpoint}/_sandbox/identity-center/scim/tokens`, { method: 'POST' })
    ).json()) as { token: string; endpoint: string };
    // The enterprise app with provisioning to the sandbox's SCIM endpoint, as `iam2sso entra setup` leaves it (that
    // command has its own end-to-end test): made here through the product's Graph adapter, without a CLI run.
    const entra = sandboxAdapter(w.sandbox);
    world.entra!.instantiateDelayMs = 0;
    const app = await entra.appWriter.instantiate(AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME);
    const spId = app.servicePrincipalId;
    const [templateId] = await entra.apps.listSyncTemplateIds(spId);
    const job = await entra.appWriter.createSyncJob(spId, templateId);
    await entra.appWriter.saveScimCredentials(spId, job.id, { baseAddress: scim.endpoint, token: scim.token });
    await entra.appWriter.startSyncJob(spId, job.id);
    // A Graph read runs the job's first cycle (nothing is assigned yet); the next one is 40 virtual minutes away.
    await entra.apps.listSyncJobs(spId);
    const sp = world.entra!.servicePrincipals.get(spId)!;
    // The groups the external test fed by hand are not linked to any Entra group: refused, as is provisioning them.
    const handMade = new Set([...world.sso!.groups.values()].map((g) => g.displayName));
    const planned = w.plan().groups.filter((g) => g.assignments.length > 0 && !handMade.has(g.name));
    const assigned = (name: string) => {
      const store = [...world.sso!.groups.values()].find((g) => g.displayName === name);
      return world.sso!.assignments.filter((a) => a.principalId === store?.groupId).length;
    };
    const entraGroup = (name: string) =>
      [...world.entra!.groups.values()].find((g) => g.displayName === name && !g.deletedDateTime);

    // The clock moves one cycle as soon as apply journals its first wait (after its Entra writes).
    let finished = false;
    const waiting = (async () => {
      while (!finished) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const db = await openStateDb(w.statePath);
        const waits = db.prepare(`SELECT count(*) AS n FROM apply_journal WHERE kind = 'scim.group.await'`).get();
        db.close();
        if ((waits as { n: number }).n > 0) return world.clock.advance(41 * 60_000);
      }
    })();
    const r = await runIam2sso(['apply', '--auto-approve', '--plan', w.planPath, '--state', w.statePath], w.env);
    finished = true;
    await waiting;
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Identity source scim: apply makes the \d+ planned group\(s\)/);
    assert.match(r.stderr, /waiting for \d+ group\(s\) to reach the Identity Store through Entra's provisioning/);
    assert.match(r.stderr, new RegExp(`group ${planned[0].name} reached the Identity Store after`));
    assert.match(r.stderr, /skipped group .*Identity Store group .* exists and is not managed by iam2sso/);
    for (const g of planned) {
      const made = entraGroup(g.name);
      assert.ok(made, `Entra group ${g.name}`);
      assert.ok(
        sp.appRoleAssignedTo.some((a) => a.principalId === made.id),
        `${g.name} assigned to the app`,
      );
      const store = [...world.sso!.groups.values()].find((x) => x.displayName === g.name)!;
      assert.equal(store.createdBy, 'scim', `${g.name} came through provisioning`);
      assert.deepEqual(
        store.externalIds.map((e) => e.id),
        [made.id],
      );
      assert.equal(assigned(g.name), g.assignments.length, `${g.name}: every planned account assignment`);
    }

    // Rollback removes the assignments, the app assignments and the groups in Entra; the next cycle removes the
    // provisioned groups from the Identity Store.
    const db = await openStateDb(w.statePath);
    const applyRun = listRuns(db)
      .filter((x) => x.command === 'apply')
      .at(-1)!.runId;
    db.close();
    const back = await runIam2sso(['rollback', applyRun, '--auto-approve', '--state', w.statePath], w.env);
    assert.equal(back.status, 0, back.stderr);
    for (const g of planned) {
      assert.equal(assigned(g.name), 0, `${g.name}: assignments removed`);
      assert.equal(entraGroup(g.name), undefined, `${g.name}: Entra group removed`);
    }
    world.clock.advance(41 * 60_000);
    await entra.apps.listSyncJobs(spId);
    const left = new Set([...world.sso!.groups.values()].map((g) => g.displayName));
    assert.deepEqual(
      planned.filter((g) => left.has(g.name)),
      [],
      'provisioning deleted the groups',
    );

    // Groups that never arrive: apply names them and what to check, and makes none of their assignments.
    const late = await runIam2sso(
      ['apply', '--auto-approve', '--wait', '1s', '--plan', w.planPath, '--state', w.statePath],
      w.env,
    );
    assert.equal(late.status, 1, late.stderr);
    assert.match(
      late.stderr,
      new RegExp(`group ${planned[0].name} \\(Entra [^)]+\\) did not reach the Identity Store within 1s`),
    );
    assert.match(late.stderr, /Provisioning job \S+ runs \(last cycle: Succeeded\).*scoping filter/);
    assert.match(late.stderr, /cancelled \+ assignment/);
    assert.match(late.stderr, /once Entra has provisioned the groups .* run the same command again/);
    for (const g of planned) assert.equal(assigned(g.name), 0, `${g.name}: no assignment made`);
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
