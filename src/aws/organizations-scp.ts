/**
 * The Organizations adapter for service control policies: the reads that `scp plan` needs (the root, the SCPs,
 * what each is attached to) and the writes the executor makes (create, update, delete, attach, detach).
 * Wire shapes: AWS Organizations API reference (CreatePolicy, AttachPolicy, ListPoliciesForTarget...).
 */
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  type OrganizationsClient,
  paginateListPolicies,
  paginateListPoliciesForTarget,
  paginateListRoots,
  paginateListTargetsForPolicy,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';

const SCP = 'SERVICE_CONTROL_POLICY';

/** An SCP as iam2sso reads it. */
export type ScpRecord = { id: string; name: string; awsManaged: boolean };

/** The organization's root and whether SCPs are enabled there. */
export type OrgRoot = { id: string; scpEnabled: boolean };

/** The port `scp` uses. */
export type ScpPort = {
  /** The management account's id (SCPs never restrict it). */
  managementAccountId(): Promise<string>;
  root(): Promise<OrgRoot>;
  listScps(): Promise<ScpRecord[]>;
  /** The document and description of one SCP. */
  describe(id: string): Promise<{ content: string; description: string }>;
  targetsOf(id: string): Promise<string[]>;
  /** Ids of the SCPs attached directly to a root, OU or account. */
  attachedTo(targetId: string): Promise<string[]>;
  create(name: string, description: string, content: string): Promise<string>;
  update(id: string, content: string): Promise<void>;
  remove(id: string): Promise<void>;
  attach(id: string, targetId: string): Promise<void>;
  detach(id: string, targetId: string): Promise<void>;
};

/** The port over an Organizations client (signed with the management account's credentials). */
export function organizationsScpAdapter(client: OrganizationsClient): ScpPort {
  return {
    async managementAccountId() {
      const out = await client.send(new DescribeOrganizationCommand({}));
      return out.Organization?.MasterAccountId ?? '';
    },
    async root() {
      for await (const page of paginateListRoots({ client }, {}))
        for (const r of page.Roots ?? [])
          return { id: r.Id!, scpEnabled: (r.PolicyTypes ?? []).some((t) => t.Type === SCP && t.Status === 'ENABLED') };
      throw new Error('the organization has no root');
    },
    async listScps() {
      const out: ScpRecord[] = [];
      for await (const page of paginateListPolicies({ client }, { Filter: SCP }))
        for (const p of page.Policies ?? []) out.push({ id: p.Id!, name: p.Name!, awsManaged: p.AwsManaged ?? false });
      return out;
    },
    async describe(id) {
      const out = await client.send(new DescribePolicyCommand({ PolicyId: id }));
      return { content: out.Policy?.Content ?? '', description: out.Policy?.PolicySummary?.Description ?? '' };
    },
    async targetsOf(id) {
      const out: string[] = [];
      for await (const page of paginateListTargetsForPolicy({ client }, { PolicyId: id }))
        for (const t of page.Targets ?? []) out.push(t.TargetId!);
      return out;
    },
    async attachedTo(targetId) {
      const out: string[] = [];
      for await (const page of paginateListPoliciesForTarget({ client }, { TargetId: targetId, Filter: SCP }))
        for (const p of page.Policies ?? []) out.push(p.Id!);
      return out;
    },
    async create(name, description, content) {
      const out = await client.send(
        new CreatePolicyCommand({ Name: name, Description: description, Content: content, Type: SCP }),
      );
      return out.Policy!.PolicySummary!.Id!;
    },
    async update(id, content) {
      await client.send(new UpdatePolicyCommand({ PolicyId: id, Content: content }));
    },
    async remove(id) {
      await client.send(new DeletePolicyCommand({ PolicyId: id }));
    },
    async attach(id, targetId) {
      await client.send(new AttachPolicyCommand({ PolicyId: id, TargetId: targetId }));
    },
    async detach(id, targetId) {
      await client.send(new DetachPolicyCommand({ PolicyId: id, TargetId: targetId }));
    },
  };
}
