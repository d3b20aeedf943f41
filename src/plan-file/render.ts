/**
 * Writes the plan as `migration-plan.yaml`: commented, with policies as indented JSON blocks a reviewer can
 * read, and the comments a reviewer added to the previous file carried over to the same entries.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import type { MigrationPlan } from '../core/plan-types.js';

const HEADER = [
  ' iam2sso migration plan. Review it, edit it, commit it; `iam2sso plan` keeps your edits when run again.',
  ' Editable: permissionSets[].name, sessionDuration (PT1H..PT12H), managedPolicies, customerManagedPolicies,',
  '   inlinePolicy, permissionsBoundary; groups[].name; users[].upn, action (migrate|replace|keep|decommission|skip),',
  '   parity.acknowledged (gaps you accept; wildcards like s3:* allowed);',
  '   serviceAccounts[].recommendation, trustPolicy (fill in OWNER/REPOSITORY), policy.',
  ' Group members come from users[]: a user whose action is migrate (and not blocked) joins users[].groups;',
  '   keep, skip or deleting the block takes the person out of every group.',
  ' Derived on every run (edits are replaced): keys, reasons, members, assignments, parity gaps/excess/needsReview,',
  "   review (why a user's classification needs a person to confirm its action).",
  ' `iam2sso plan --reset` regenerates everything; `iam2sso apply` refuses the plan if the accounts changed since',
  ' the audit in `fingerprint`.',
].join('\n');

const SECTION_COMMENTS: Record<string, string> = {
  identitySource:
    ' Who feeds Identity Center: iam2sso-sync (apply makes the Entra groups, `iam2sso sync` mirrors them), scim\n' +
    " (Entra's SCIM provisioning) or external (someone else); with scim and external apply needs no Entra credentials.",
  fingerprint: ' The audit this plan was made from (apply re-checks each account hash).',
  permissionSets:
    ' Identity Center permission sets. Limits: name 1-32 of [\\w+=,.@-]; inline policy 10,240 non-whitespace characters.',
  groups:
    ' Entra groups and the account assignments each one carries. A group with replaces: takes the place of that\n' +
    ' Identity Center directory group (adopted with its assignments, see adopt:); its members are as listed.',
  users: ' Every IAM user and what happens to it. blockedBy lists why apply skips the user for now.',
  serviceAccounts: ' Service accounts: what replaces their long-lived keys.',
  problems: ' Things a reviewer should know about.',
  privilegedAccess:
    ' Groups whose members are eligible through PIM (`iam2sso entra harden --pim`), not standing; proposed from\n the permission sets (administrator or IAM write), kept as you edit them. maxActivation PT30M..PT24H;\n approval: true needs approvers (Entra user UPNs or group names).',
  directSaml:
    " Roles of direct SAML federation (Entra's per-account app): the permission sets and groups that replace each, and\n" +
    ' the people Entra gives it (they join the groups). parity.acknowledged as for users; blockedBy: why nobody joins yet.',
  outsideIdentityCenter:
    " Accounts that stay outside Identity Center: apply keeps or makes Entra's AWS Single-Account Access app, the IAM\n" +
    ' SAML provider from its metadata and the roles (policies: managed policy ARNs; groups: Entra groups given the\n' +
    ' role). adopt: true keeps the existing app, provider or role of that name as iam2sso’s. No assignments there.',
  adopt:
    ' Existing objects you adopt: apply manages them from then on (makes them match this plan). Entries:\n' +
    '   {kind: permission-set|entra-group|store-group|store-user, name} or {kind: assignment, accountId, permissionSet, group}.',
};

/** The plan as YAML text; `previousText` (the file being replaced) lends its reviewer comments. */
export function renderPlanYaml(plan: MigrationPlan, previousText?: string): string {
  // Shared objects (the same list in two places) are written out again, never as `&a1`/`*a1` anchors.
  const doc = new Document(toYamlShape(plan), { aliasDuplicateObjects: false });
  doc.commentBefore = HEADER;
  const root = doc.contents as YAMLMap;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (SECTION_COMMENTS[key] && isScalar(pair.key)) pair.key.commentBefore = SECTION_COMMENTS[key];
  }
  for (const [section, field] of [
    ['permissionSets', 'inlinePolicy'],
    ['serviceAccounts', 'trustPolicy'],
    ['serviceAccounts', 'policy'],
  ] as const) {
    const seq = doc.get(section, true);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      const node = item.get(field, true);
      if (isScalar(node) && typeof node.value === 'string') node.type = 'BLOCK_LITERAL';
    }
  }
  if (previousText) carryComments(doc, previousText);
  return doc.toString({ lineWidth: 0 });
}

/** JSON policies pretty-printed for reading; everything else as in the plan. */
function toYamlShape(plan: MigrationPlan): unknown {
  const pretty = (text: string | null) => (text ? JSON.stringify(JSON.parse(text), null, 2) : null);
  return {
    ...plan,
    permissionSets: plan.permissionSets.map((p) => ({ ...p, inlinePolicy: pretty(p.inlinePolicy) })),
    serviceAccounts: plan.serviceAccounts.map((s) => ({
      ...s,
      trustPolicy: pretty(s.trustPolicy),
      policy: pretty(s.policy),
    })),
  };
}

const IDS: Record<string, (m: YAMLMap) => string> = {
  permissionSets: (m) => String(m.get('key')),
  groups: (m) => String(m.get('key')),
  users: (m) => `${m.get('accountId')}/${m.get('userName')}`,
  serviceAccounts: (m) => `${m.get('accountId')}/${m.get('userName')}`,
};

function carryComments(doc: Document, previousText: string): void {
  let old: Document;
  try {
    old = parseDocument(previousText);
  } catch {
    return;
  }
  if (old.errors.length > 0) return;
  for (const [section, id] of Object.entries(IDS)) {
    const oldSeq = old.get(section, true);
    const newSeq = doc.get(section, true);
    if (!isSeq(oldSeq) || !isSeq(newSeq)) continue;
    const oldItems = new Map<string, YAMLMap>();
    for (const item of oldSeq.items) if (isMap(item)) oldItems.set(id(item), item);
    for (const item of newSeq.items) {
      if (!isMap(item)) continue;
      const prev = oldItems.get(id(item));
      if (!prev) continue;
      if (prev.commentBefore) item.commentBefore = prev.commentBefore;
      if (prev.comment) item.comment = prev.comment;
      for (const pair of prev.items) {
        if (!isScalar(pair.key)) continue;
        const target = item.items.find(
          (p) => isScalar(p.key) && p.key.value === (pair.key as { value: unknown }).value,
        );
        if (!target || !isScalar(target.key)) continue;
        if (pair.key.commentBefore) target.key.commentBefore = pair.key.commentBefore;
        const oldValue = pair.value as { comment?: string } | null;
        const newValue = target.value as { comment?: string } | null;
        if (oldValue?.comment && newValue && typeof newValue === 'object') newValue.comment = oldValue.comment;
      }
    }
  }
}
