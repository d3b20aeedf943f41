import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphApi } from '../../src/entra/graph-client.js';
import { readActivationRules, writeActivationRules } from '../../src/entra/graph-pim-rules.js';

const APPROVERS = [
  { '@odata.type': '#microsoft.graph.singleUser', userId: 'u-1' },
  { '@odata.type': '#microsoft.graph.groupMembers', groupId: 'g-9' },
  { '@odata.type': '#microsoft.graph.requestorManager', managerLevel: 1 },
];

/** A Graph that answers the policy assignment and three rules of one group, and records what is patched. */
function fakeGraph(): { graph: GraphApi; patched: Map<string, Record<string, unknown>> } {
  const patched = new Map<string, Record<string, unknown>>();
  const rules: Record<string, unknown> = {
    Expiration_EndUser_Assignment: { maximumDuration: 'PT8H' },
    Enablement_EndUser_Assignment: { enabledRules: ['Justification', 'MultiFactorAuthentication'] },
    Approval_EndUser_Assignment: {
      setting: {
        isApprovalRequired: true,
        approvalStages: [{ approvalStageTimeOutInDays: 3, primaryApprovers: APPROVERS }],
      },
    },
  };
  const graph = {
    pages: async () => ({ items: [{ policyId: 'Group_g_member' }], deltaLink: null }),
    get: async (path: string) => rules[path.split('/').pop()!],
    patch: async (path: string, _op: string, body: Record<string, unknown>) => {
      patched.set(path.split('/').pop()!, body);
    },
  } as unknown as GraphApi;
  return { graph, patched };
}

describe('PIM activation rules through unifiedRoleManagementPolicy rules', () => {
  it('reads the approvers as written, and writes them back unchanged on undo (kinds it does not manage included)', async () => {
    const { graph, patched } = fakeGraph();
    const read = await readActivationRules(graph, 'g');
    assert.deepEqual(read, {
      policyId: 'Group_g_member',
      maxActivation: 'PT8H',
      justification: true,
      approval: {
        required: true,
        approvers: [
          { kind: 'user', id: 'u-1' },
          { kind: 'group', id: 'g-9' },
          { kind: 'other', subject: APPROVERS[2] },
        ],
      },
    });
    await writeActivationRules(graph, read!.policyId, read!);
    const approval = patched.get('Approval_EndUser_Assignment') as {
      setting: {
        isApprovalRequired: boolean;
        approvalStages: { primaryApprovers: unknown[]; approvalStageTimeOutInDays: number }[];
      };
    };
    assert.equal(approval.setting.isApprovalRequired, true);
    assert.equal(approval.setting.approvalStages[0].approvalStageTimeOutInDays, 3, 'the stage keeps its own settings');
    assert.deepEqual(approval.setting.approvalStages[0].primaryApprovers, APPROVERS);
    assert.deepEqual(patched.get('Expiration_EndUser_Assignment')?.maximumDuration, 'PT8H');
  });

  it('leaves the approval rule alone for rules journaled before approval was managed', async () => {
    const { graph, patched } = fakeGraph();
    await writeActivationRules(graph, 'Group_g_member', { maxActivation: 'PT2H', justification: false });
    assert.deepEqual([...patched.keys()].sort(), ['Enablement_EndUser_Assignment', 'Expiration_EndUser_Assignment']);
    assert.deepEqual(
      patched.get('Enablement_EndUser_Assignment')?.enabledRules,
      ['MultiFactorAuthentication'],
      'only the justification goes: MFA on activation stays',
    );
  });
});
