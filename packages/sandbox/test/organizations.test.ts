import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
  paginateListAccounts,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import type { RunningSandbox } from '../src/index.js';
import { buildOrgWorld, type Credentials, type OrgWorld, serveOrgWorld, userCredentials } from './helpers/org-world.js';
import { awsCli, sdkConfig } from './helpers/sandbox.js';
import { skipWithoutTool } from './helpers/tools.js';

const MEMBERS = 25;

function orgs(sandbox: RunningSandbox, credentials?: Credentials): OrganizationsClient {
  return new OrganizationsClient({ ...sdkConfig(sandbox), ...(credentials ? { credentials } : {}) });
}

/** An SCP document of exactly `length` characters. */
function scpOfLength(length: number, tag = 'A'): string {
  const shell = (sid: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: sid, Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }],
    });
  const pad = length - shell('').length;
  assert.ok(pad >= 1);
  return shell(tag.repeat(pad));
}

function rejectsWith(name: string, reason?: string) {
  return (e: Error & { Reason?: string }) => {
    assert.equal(e.name, name, e.message);
    if (reason) assert.equal(e.Reason, reason);
    return true;
  };
}

describe('sandbox Organizations', () => {
  let sandbox: RunningSandbox;
  let org: OrgWorld;
  let client: OrganizationsClient;
  let rootId: string;
  before(async () => {
    org = buildOrgWorld({ members: MEMBERS, usersPerAccount: 1 });
    rootId = org.world.organization!.rootId;
    sandbox = await serveOrgWorld(org);
    client = orgs(sandbox);
  });
  after(() => sandbox.close());

  it('describes the organization to its management account and its members', async () => {
    const { Organization } = await client.send(new DescribeOrganizationCommand({}));
    assert.match(Organization?.Id ?? '', /^o-[a-z0-9]{10}$/);
    assert.equal(Organization?.MasterAccountId, org.management.id);
    assert.equal(Organization?.FeatureSet, 'ALL');
    const member = userCredentials(org.world, org.members[0].id, 'member-1-user-1');
    const seen = await orgs(sandbox, member).send(new DescribeOrganizationCommand({}));
    assert.equal(seen.Organization?.Id, Organization?.Id);
  });

  it('refuses members with AccessDeniedException and outsiders with AWSOrganizationsNotInUseException', async () => {
    const member = userCredentials(org.world, org.members[0].id, 'member-1-user-1');
    await assert.rejects(orgs(sandbox, member).send(new ListAccountsCommand({})), rejectsWith('AccessDeniedException'));
    const outsider = userCredentials(org.world, '999999999999', 'outsider-user');
    await assert.rejects(
      orgs(sandbox, outsider).send(new DescribeOrganizationCommand({})),
      rejectsWith('AWSOrganizationsNotInUseException'),
    );
  });

  it('answers AWSOrganizationsNotInUseException when the world has no organization', async () => {
    const lone = await serveOrgWorld(buildOrgWorld({ organization: false, outsider: false }));
    try {
      await assert.rejects(
        orgs(lone).send(new DescribeOrganizationCommand({})),
        rejectsWith('AWSOrganizationsNotInUseException'),
      );
    } finally {
      await lone.close();
    }
  });

  it('lists the root with SCPs enabled, the OU tree, parents and children', async () => {
    const { Roots } = await client.send(new ListRootsCommand({}));
    assert.equal(Roots?.length, 1);
    assert.equal(Roots?.[0].Id, rootId);
    assert.deepEqual(Roots?.[0].PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    const ous = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
    assert.deepEqual(
      ous.OrganizationalUnits?.map((u) => u.Name),
      ['Workloads'],
    );
    const ouId = ous.OrganizationalUnits![0].Id!;
    assert.equal(ouId, org.workloadsOuId);
    const atRoot = await client.send(new ListAccountsForParentCommand({ ParentId: rootId }));
    assert.deepEqual(
      atRoot.Accounts?.map((a) => a.Id),
      [org.management.id],
    );
    const inOu = await client.send(new ListChildrenCommand({ ParentId: ouId, ChildType: 'ACCOUNT', MaxResults: 20 }));
    assert.equal(inOu.Children?.length, 20);
    assert.ok(inOu.NextToken);
    const parents = await client.send(new ListParentsCommand({ ChildId: org.members[3].id }));
    assert.deepEqual(parents.Parents, [{ Id: ouId, Type: 'ORGANIZATIONAL_UNIT' }]);
    const ouParents = await client.send(new ListParentsCommand({ ChildId: ouId }));
    assert.deepEqual(ouParents.Parents, [{ Id: rootId, Type: 'ROOT' }]);
    const ou = await client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }));
    assert.equal(ou.OrganizationalUnit?.Name, 'Workloads');
    await assert.rejects(
      client.send(new ListAccountsForParentCommand({ ParentId: 'ou-zzzz-zzzzzzzz' })),
      rejectsWith('ParentNotFoundException'),
    );
  });

  it('describes an account, and answers AccountNotFoundException for one outside', async () => {
    const { Account } = await client.send(new DescribeAccountCommand({ AccountId: org.members[0].id }));
    assert.equal(Account?.Name, org.members[0].name);
    assert.equal(Account?.Email, org.members[0].email);
    assert.equal(Account?.Status, 'ACTIVE');
    assert.ok(Account?.JoinedTimestamp instanceof Date);
    assert.match(Account?.Arn ?? '', /^arn:aws:organizations::111111111111:account\/o-[a-z0-9]+\/222222222222$/);
    await assert.rejects(
      client.send(new DescribeAccountCommand({ AccountId: '999999999999' })),
      rejectsWith('AccountNotFoundException'),
    );
  });

  it('pages ListAccounts with MaxResults 1..20 and NextToken', async () => {
    const first = await client.send(new ListAccountsCommand({}));
    assert.equal(first.Accounts?.length, 20);
    const second = await client.send(new ListAccountsCommand({ NextToken: first.NextToken }));
    assert.equal(second.Accounts?.length, MEMBERS + 1 - 20);
    assert.equal(second.NextToken, undefined);
    const ids = new Set<string>();
    for await (const p of paginateListAccounts({ client, pageSize: 7 }, {})) {
      assert.ok((p.Accounts?.length ?? 0) <= 7);
      for (const a of p.Accounts ?? []) ids.add(a.Id!);
    }
    assert.equal(ids.size, MEMBERS + 1);
    assert.equal((await client.send(new ListAccountsCommand({ MaxResults: 1 }))).Accounts?.length, 1);
    await assert.rejects(
      client.send(new ListAccountsCommand({ MaxResults: 21 })),
      rejectsWith('InvalidInputException', 'MAX_VALUE_EXCEEDED'),
    );
    await assert.rejects(
      client.send(new ListAccountsCommand({ MaxResults: 0 })),
      rejectsWith('InvalidInputException', 'MIN_VALUE_EXCEEDED'),
    );
    await assert.rejects(
      client.send(new ListAccountsCommand({ NextToken: 'not-a-token' })),
      rejectsWith('InvalidInputException', 'INVALID_NEXT_TOKEN'),
    );
  });

  it('creates SCPs up to 5,120 characters and refuses one character more', async () => {
    const content = scpOfLength(5120);
    assert.equal(content.length, 5120);
    const created = await client.send(
      new CreatePolicyCommand({ Name: 'at-limit', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: content }),
    );
    assert.match(created.Policy?.PolicySummary?.Id ?? '', /^p-[a-z0-9]{8}$/);
    assert.equal(created.Policy?.PolicySummary?.AwsManaged, false);
    assert.equal(created.Policy?.Content, content);
    await assert.rejects(
      client.send(
        new CreatePolicyCommand({
          Name: 'over-limit',
          Description: 'd',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: scpOfLength(5121),
        }),
      ),
      rejectsWith('ConstraintViolationException', 'POLICY_CONTENT_LIMIT_EXCEEDED'),
    );
    const id = created.Policy!.PolicySummary!.Id!;
    await assert.rejects(
      client.send(new UpdatePolicyCommand({ PolicyId: id, Content: scpOfLength(5121, 'B') })),
      rejectsWith('ConstraintViolationException', 'POLICY_CONTENT_LIMIT_EXCEEDED'),
    );
    await assert.rejects(
      client.send(
        new CreatePolicyCommand({
          Name: 'bad',
          Description: 'd',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: '{"Statement": [',
        }),
      ),
      rejectsWith('MalformedPolicyDocumentException'),
    );
    await assert.rejects(
      client.send(
        new CreatePolicyCommand({
          Name: 'at-limit',
          Description: 'd',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: content,
        }),
      ),
      rejectsWith('DuplicatePolicyException'),
    );
    const updated = await client.send(
      new UpdatePolicyCommand({ PolicyId: id, Name: 'renamed', Content: scpOfLength(300, 'C') }),
    );
    assert.equal(updated.Policy?.PolicySummary?.Name, 'renamed');
    const described = await client.send(new DescribePolicyCommand({ PolicyId: id }));
    assert.equal(described.Policy?.Content, scpOfLength(300, 'C'));
    await client.send(new DeletePolicyCommand({ PolicyId: id }));
    await assert.rejects(
      client.send(new DescribePolicyCommand({ PolicyId: id })),
      rejectsWith('PolicyNotFoundException'),
    );
  });

  it('keeps FullAWSAccess attached everywhere by default and AWS-managed', async () => {
    const listed = await client.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
    const full = listed.Policies?.find((p) => p.Id === 'p-FullAWSAccess');
    assert.equal(full?.AwsManaged, true);
    for (const target of [rootId, org.workloadsOuId!, org.members[5].id]) {
      const attached = await client.send(
        new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' }),
      );
      assert.deepEqual(
        attached.Policies?.map((p) => p.Name),
        ['FullAWSAccess'],
      );
    }
    await assert.rejects(
      client.send(new UpdatePolicyCommand({ PolicyId: 'p-FullAWSAccess', Name: 'mine' })),
      rejectsWith('InvalidInputException', 'IMMUTABLE_POLICY'),
    );
    await assert.rejects(
      client.send(new DeletePolicyCommand({ PolicyId: 'p-FullAWSAccess' })),
      rejectsWith('InvalidInputException', 'IMMUTABLE_POLICY'),
    );
  });

  it('attaches at most 5 SCPs to a target and never detaches the last one', async () => {
    const target = org.members[1].id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await client.send(
        new CreatePolicyCommand({
          Name: `deny-${i}`,
          Description: `deny ${i}`,
          Type: 'SERVICE_CONTROL_POLICY',
          Content: scpOfLength(200, String.fromCharCode(68 + i)),
        }),
      );
      ids.push(p.Policy!.PolicySummary!.Id!);
    }
    for (const id of ids.slice(0, 4)) await client.send(new AttachPolicyCommand({ PolicyId: id, TargetId: target }));
    const five = await client.send(
      new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' }),
    );
    assert.equal(five.Policies?.length, 5);
    await assert.rejects(
      client.send(new AttachPolicyCommand({ PolicyId: ids[4], TargetId: target })),
      rejectsWith('ConstraintViolationException', 'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED'),
    );
    await assert.rejects(
      client.send(new AttachPolicyCommand({ PolicyId: ids[0], TargetId: target })),
      rejectsWith('DuplicatePolicyAttachmentException'),
    );
    const targets = await client.send(new ListTargetsForPolicyCommand({ PolicyId: ids[0] }));
    assert.deepEqual(targets.Targets, [
      { TargetId: target, Arn: org.world.organization!.accounts.get(target)!.arn, Name: 'member-2', Type: 'ACCOUNT' },
    ]);
    await assert.rejects(
      client.send(new DeletePolicyCommand({ PolicyId: ids[0] })),
      rejectsWith('PolicyInUseException'),
    );
    await assert.rejects(
      client.send(new DetachPolicyCommand({ PolicyId: ids[4], TargetId: target })),
      rejectsWith('PolicyNotAttachedException'),
    );
    await client.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: target }));
    for (const id of ids.slice(1, 4)) await client.send(new DetachPolicyCommand({ PolicyId: id, TargetId: target }));
    await assert.rejects(
      client.send(new DetachPolicyCommand({ PolicyId: ids[0], TargetId: target })),
      rejectsWith('ConstraintViolationException', 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED'),
    );
    await assert.rejects(
      client.send(new AttachPolicyCommand({ PolicyId: ids[1], TargetId: '123456789012' })),
      rejectsWith('TargetNotFoundException'),
    );
  });

  it('serves the AWS CLI v2, which pages through every account', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const listed = await awsCli(sandbox, ['organizations', 'list-accounts', '--page-size', '6']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(listed.json<{ Accounts: unknown[] }>().Accounts.length, MEMBERS + 1);
    const over = await awsCli(sandbox, [
      'organizations',
      'create-policy',
      '--name',
      'cli-over',
      '--description',
      'x',
      '--type',
      'SERVICE_CONTROL_POLICY',
      '--content',
      scpOfLength(5121),
    ]);
    assert.notEqual(over.status, 0);
    assert.match(over.stderr, /ConstraintViolationException/);
  });
});
