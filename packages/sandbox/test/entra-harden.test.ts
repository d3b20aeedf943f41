import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@microsoft/microsoft-graph-client';
import { liveGroups, liveUsers } from '../src/entra/directory.js';
import type { RunningSandbox } from '../src/index.js';
import { entraControl, sandboxCredential, sandboxFetch, sandboxGraphClient } from './entra-helpers.js';
import { startTestSandbox } from './helpers/sandbox.js';

const CA = '/identity/conditionalAccess/policies';
const PIM = '/identityGovernance/privilegedAccess/group';

/** The error a Graph client call failed with (status and Graph's code and message). */
async function refusal(call: Promise<unknown>): Promise<{ statusCode: number; code: string; message: string }> {
  try {
    await call;
  } catch (e) {
    return e as { statusCode: number; code: string; message: string };
  }
  throw new Error('the call was expected to fail');
}

describe('sandbox Entra: Conditional Access and PIM for Groups through the Microsoft Graph client', () => {
  let sandbox: RunningSandbox;
  let graph: Client;
  before(async () => {
    sandbox = await startTestSandbox({ seed: 11 });
    graph = sandboxGraphClient(sandbox);
  });
  after(() => sandbox.close());

  it('creates, reads, switches and deletes a policy with the v1.0 shapes', async () => {
    const group = liveGroups(sandbox.world.entra!)[0];
    const created = await graph.api(CA).post({
      displayName: 'MFA for AWS',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        applications: { includeApplications: ['app-1'] },
        users: { includeGroups: [group.id], excludeUsers: [] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.equal(created.state, 'enabledForReportingButNotEnforced');
    assert.deepEqual(created.conditions.users.includeGroups, [group.id]);
    await graph.api(`${CA}/${created.id}`).patch({ state: 'enabled' });
    const listed = await graph.api(CA).get();
    assert.deepEqual(
      listed.value.map((p: { state: string }) => p.state),
      ['enabled'],
    );
    const bad = await refusal(graph.api(`${CA}/${created.id}`).patch({ state: 'sometimes' }));
    assert.equal(bad.statusCode, 400);
    await graph.api(`${CA}/${created.id}`).delete();
    assert.equal((await graph.api(CA).get()).value.length, 0);
  });

  it('answers 403 without Policy.ReadWrite.ConditionalAccess, and the licensing 403 without Entra ID P1', async () => {
    const app = [...sandbox.world.entra!.applications.values()].find((a) => a.appId === sandbox.world.entra!.clientId)!;
    const granted = app.grantedPermissions;
    app.grantedPermissions = granted.filter((p) => p !== 'Policy.ReadWrite.ConditionalAccess');
    try {
      const client = sandboxGraphClient(sandbox, sandboxCredential(sandbox));
      const denied = await refusal(client.api(CA).post({ displayName: 'x' }));
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.code, 'Authorization_RequestDenied');
    } finally {
      app.grantedPermissions = granted;
    }
    await entraControl(sandbox, 'licences', { premiumP1: false });
    const unlicensed = await refusal(graph.api(CA).get());
    await entraControl(sandbox, 'licences', { premiumP1: true });
    assert.equal(unlicensed.statusCode, 403);
    assert.match(unlicensed.message, /AAD Premium 1 license/);
  });

  it('keeps an eligible member out of the group until they activate, and takes them out when it expires', async () => {
    const entra = sandbox.world.entra!;
    const group = liveGroups(entra).find((g) => g.members.size > 0)!;
    const user = liveUsers(entra).find((u) => !group.members.has(u.id))!;
    const members = async () =>
      ((await graph.api(`/groups/${group.id}/members`).get()).value as { id: string }[]).map((m) => m.id);
    await graph.api(`${PIM}/eligibilityScheduleRequests`).post({
      accessId: 'member',
      principalId: user.id,
      groupId: group.id,
      action: 'adminAssign',
      justification: 'on call rota',
      scheduleInfo: { startDateTime: new Date().toISOString(), expiration: { type: 'noExpiration' } },
    });
    const eligible = await graph.api(`${PIM}/eligibilitySchedules`).filter(`groupId eq '${group.id}'`).get();
    assert.deepEqual(
      eligible.value.map((s: { principalId: string }) => s.principalId),
      [user.id],
    );
    assert.ok(!(await members()).includes(user.id), 'eligible is not a member');

    const tooLong = await refusal(
      graph.api(`${PIM}/assignmentScheduleRequests`).post({
        accessId: 'member',
        principalId: user.id,
        groupId: group.id,
        action: 'selfActivate',
        justification: 'incident',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT12H' } },
      }),
    );
    assert.equal(tooLong.code, 'RoleAssignmentRequestPolicyValidationFailed');

    const filter = `scopeId eq '${group.id}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`;
    const [assignment] = (await graph.api('/policies/roleManagementPolicyAssignments').filter(filter).get()).value;
    const rule = `/policies/roleManagementPolicies/${assignment.policyId}/rules/Expiration_EndUser_Assignment`;
    assert.equal((await graph.api(rule).get()).maximumDuration, 'PT8H', "Entra's default");
    await graph.api(rule).patch({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      id: 'Expiration_EndUser_Assignment',
      isExpirationRequired: true,
      maximumDuration: 'PT2H',
    });
    const overRule = await sandboxFetch(sandbox, '/_sandbox/entra/pim/activate', {
      method: 'POST',
      body: JSON.stringify({
        upn: user.userPrincipalName,
        group: group.id,
        duration: 'PT3H',
        justification: 'incident',
      }),
    });
    assert.equal(overRule.status, 400, 'the rule caps activations at PT2H');
    const res = await sandboxFetch(sandbox, '/_sandbox/entra/pim/activate', {
      method: 'POST',
      body: JSON.stringify({
        upn: user.userPrincipalName,
        group: group.id,
        duration: 'PT1H',
        justification: 'incident',
      }),
    });
    assert.equal(res.status, 201);
    assert.ok((await members()).includes(user.id), 'activated: a member');
    await sandboxFetch(sandbox, '/_sandbox/clock', { method: 'POST', body: JSON.stringify({ advanceMs: 3_700_000 }) });
    assert.ok(!(await members()).includes(user.id), 'expired: no longer a member');
  });

  it('writes the approval rule, holds an activation as PendingApproval until an approver approves, and enforces who may', async () => {
    const entra = sandbox.world.entra!;
    const group = liveGroups(entra).filter((g) => g.members.size > 0)[1];
    const [requester, approver, stranger] = liveUsers(entra).filter((u) => !group.members.has(u.id));
    await graph.api(`${PIM}/eligibilityScheduleRequests`).post({
      accessId: 'member',
      principalId: requester.id,
      groupId: group.id,
      action: 'adminAssign',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    const filter = `scopeId eq '${group.id}' and scopeType eq 'Group'`;
    const [policy] = (await graph.api('/policies/roleManagementPolicies').filter(filter).expand('rules').get()).value;
    const approvalRule = policy.rules.find((r: { id: string }) => r.id === 'Approval_EndUser_Assignment');
    assert.equal(approvalRule.setting.isApprovalRequired, false, "Entra's default: no approval");
    const rule = `/policies/roleManagementPolicies/${policy.id}/rules/Approval_EndUser_Assignment`;
    const body = {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
      id: 'Approval_EndUser_Assignment',
      setting: {
        isApprovalRequired: true,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: approver.id }],
          },
        ],
      },
    };
    const app = [...entra.applications.values()].find((a) => a.appId === entra.clientId)!;
    const granted = app.grantedPermissions;
    app.grantedPermissions = granted.filter((p) => p !== 'RoleManagementPolicy.ReadWrite.AzureADGroup');
    try {
      const denied = await refusal(sandboxGraphClient(sandbox, sandboxCredential(sandbox)).api(rule).patch(body));
      assert.equal(denied.statusCode, 403, 'no RoleManagementPolicy.ReadWrite.AzureADGroup: no writing rules');
    } finally {
      app.grantedPermissions = granted;
    }
    await graph.api(rule).patch(body);
    assert.deepEqual((await graph.api(rule).get()).setting.approvalStages[0].primaryApprovers, [
      { '@odata.type': '#microsoft.graph.singleUser', userId: approver.id },
    ]);

    const control = async (path: string, input: unknown) => {
      const res = await sandboxFetch(sandbox, `/_sandbox/entra/pim/${path}`, {
        method: 'POST',
        body: JSON.stringify(input),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, string> };
    };
    const ask = { upn: requester.userPrincipalName, group: group.id, duration: 'PT1H' };
    assert.equal((await control('activate', ask)).status, 400, 'a justification is required');
    const held = await control('activate', { ...ask, justification: 'deploy hotfix' });
    assert.equal(held.status, 201);
    assert.equal(held.body.status, 'PendingApproval');
    assert.equal(held.body.approvalId, held.body.id);
    assert.ok(!group.members.has(requester.id), 'pending: not a member yet');
    const decide = (upn: string, justification = 'ok') =>
      control('approve', { upn, request: held.body.id, decision: 'Approve', justification });
    assert.equal((await decide(requester.userPrincipalName)).status, 403, 'no approving your own request');
    assert.equal((await decide(stranger.userPrincipalName)).status, 403, 'only the named approvers');
    const appOnly = await refusal(graph.api(`${PIM}/assignmentApprovals/${held.body.id}`).get());
    assert.equal(appOnly.statusCode, 403, 'approvals are delegated only');
    assert.equal((await decide(approver.userPrincipalName, '')).status, 400, 'the approver justifies');
    assert.equal((await decide(approver.userPrincipalName)).status, 204);
    assert.ok(group.members.has(requester.id), 'approved: a member');
    assert.equal((await decide(approver.userPrincipalName)).status, 409, 'decided once');
    const requests = await graph.api(`${PIM}/assignmentScheduleRequests`).filter(`groupId eq '${group.id}'`).get();
    assert.deepEqual(
      requests.value.map((r: { status: string }) => r.status),
      ['Provisioned'],
    );
  });
});
