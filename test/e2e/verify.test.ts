import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  DeleteGroupMembershipCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
} from '@aws-sdk/client-identitystore';
import { parseDocument } from 'yaml';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { type ApplyWorld, expectedState, startApplyWorld } from '../apply/kit.js';

type VerifyJson = {
  match: boolean;
  roles: { accountId: string; permissionSet: string; problems: string[] }[];
  users: { accountId: string; userName: string; upn: string; problems: string[] }[];
};

describe('iam2sso verify through the CLI (sandbox)', () => {
  let w: ApplyWorld;
  const verify = (...extra: string[]) => w.run(['verify', '--plan', w.planPath, '--state', w.statePath, ...extra]);
  before(async () => {
    w = await startApplyWorld();
    // The scenario maps some people to UPNs Entra does not have: verify rightly reports them. The reviewer's fix
    // (skip them in the plan) makes a state that can match.
    const entraUpns = new Set([...w.sandbox.world.entra!.users.values()].map((u) => u.userPrincipalName.toLowerCase()));
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    w.plan().users.forEach((u, i) => {
      if (u.action === 'migrate' && u.upn && !entraUpns.has(u.upn.toLowerCase()))
        doc.setIn(['users', i, 'action'], 'skip');
    });
    writeFileSync(w.planPath, doc.toString());
    const applied = await w.apply();
    if (applied.status !== 0) throw new Error(`apply failed: ${applied.stderr}`);
  });
  after(async () => {
    await w?.close();
  });

  it('exits 0 and reports a match when Identity Center holds what the plan says', async () => {
    const r = await verify('--json');
    assert.equal(r.status, 0, r.stderr);
    const report = r.json<VerifyJson>();
    assert.equal(report.match, true);
    assert.ok(report.roles.length > 0, 'roles were checked');
    assert.ok(report.users.length > 0, 'people were checked');
    assert.deepEqual(
      [...report.roles, ...report.users].flatMap((x) => x.problems),
      [],
    );
    const text = await verify();
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stderr, /Identity Center matches the plan: \d+ role\(s\), \d+ user\(s\) checked/);
  });

  it('exits 1 and names the person when a membership the plan gives was removed by hand', async () => {
    const [group, members] = [...expectedState(w.plan(), w.sandbox).groups].find(([, m]) => m.length > 0)!;
    const upn = members[0];
    const client = new IdentitystoreClient(sdkConfig(w.sandbox));
    const IdentityStoreId = w.sandbox.world.sso!.identityStoreId;
    let groupId = '';
    for await (const page of paginateListGroups({ client }, { IdentityStoreId }))
      for (const g of page.Groups ?? []) if (g.DisplayName === group) groupId = g.GroupId!;
    const { UserId } = await client.send(
      new GetUserIdCommand({
        IdentityStoreId,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: upn } },
      }),
    );
    for await (const page of paginateListGroupMemberships({ client }, { IdentityStoreId, GroupId: groupId }))
      for (const m of page.GroupMemberships ?? [])
        if (m.MemberId && 'UserId' in m.MemberId && m.MemberId.UserId === UserId)
          await client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId: m.MembershipId! }));
    client.destroy();

    const r = await verify('--json');
    assert.equal(r.status, 1, r.stderr);
    const report = r.json<VerifyJson>();
    assert.equal(report.match, false);
    const broken = report.users.filter((u) => u.problems.length > 0);
    assert.ok(broken.length > 0, 'someone lost access');
    assert.deepEqual([...new Set(broken.map((u) => u.upn.toLowerCase()))], [upn], 'only the person removed');
    assert.deepEqual(
      report.roles.flatMap((x) => x.problems),
      [],
      'the roles themselves still match',
    );
    const text = await verify();
    assert.equal(text.status, 1);
    assert.ok(
      text.stdout.split('\n').some((line) => line.toLowerCase().includes(upn)),
      `the difference names ${upn}: ${text.stdout}`,
    );
    assert.match(text.stderr, /difference\(s\) between the plan and the live Identity Center roles/);
  });
});
