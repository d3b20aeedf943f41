/**
 * Permission sets from bundles: one per distinct bundle, split into parts when the bundle exceeds the
 * managed-policy quota or the inline policy limits (the reason says which), each with a readable name and the
 * session duration of its kind.
 */
import type { Bundle } from './permission-sets-bundle.js';
import { assignNames } from './permission-sets-naming.js';
import type { PlanSettings } from './plan-settings.js';
import type { PermissionSetKind, PlannedPermissionSet, PlanProblem } from './plan-types.js';
import { andInto, countBits, emptyBitset, orInto } from './policy/bitset.js';
import type { PolicyCompiler } from './policy/compile.js';
import { policyJson, type Statement } from './policy/document.js';
import { measureInlinePolicy } from './policy/size.js';
import { splitStatements } from './policy/split.js';

/** A bundle, the users (as `accountId/userName`) who have it, and the name stem most of them suggest. */
export type BundleUse = { bundle: Bundle; users: string[]; stem: string };

/** The designed permission sets and, per bundle key, the keys of the permission sets that replace it. */
export type PermissionSetDesign = {
  permissionSets: PlannedPermissionSet[];
  partsByBundle: Map<string, string[]>;
  problems: PlanProblem[];
};

/** Designs the permission sets for the given bundles. */
export function designPermissionSets(
  uses: BundleUse[],
  settings: PlanSettings,
  compiler: PolicyCompiler,
  accountLabels: Map<string, string> = new Map(),
): PermissionSetDesign {
  const drafts: (Omit<PlannedPermissionSet, 'name'> & { stem: string; suffix: string; qualifier: string | null })[] =
    [];
  const partsByBundle = new Map<string, string[]>();
  const problems: PlanProblem[] = [];
  for (const { bundle, users, stem } of [...uses].sort((a, b) => (a.bundle.key < b.bundle.key ? -1 : 1))) {
    if (isEmptyBundle(bundle)) {
      partsByBundle.set(bundle.key, []);
      continue;
    }
    const kind = kindOf(bundle, compiler);
    const parts = splitBundle(bundle, settings.managedPoliciesQuota);
    if (parts.problem)
      problems.push({ id: parts.problem.id, message: `permission set for ${users[0]}: ${parts.problem.message}` });
    for (const p of bundle.problems) problems.push({ id: p.id, message: p.message });
    const accountIds = new Set(users.map((u) => u.split('/')[0]));
    const accounts = accountIds.size;
    const only = accounts === 1 ? ([...accountIds][0] as string) : null;
    const qualifier = only ? (accountLabels.get(only) ?? only) : null;
    const base = `${describeSources(bundle)}; for ${plural(users.length, 'user')} in ${plural(accounts, 'account')}`;
    const keys: string[] = [];
    parts.list.forEach((part, i) => {
      const key = parts.list.length === 1 ? bundle.key : `${bundle.key}-${i + 1}`;
      keys.push(key);
      const why = parts.list.length > 1 ? `. Part ${i + 1} of ${parts.list.length}: ${parts.why}` : '';
      drafts.push({
        key,
        stem,
        qualifier,
        suffix: parts.list.length > 1 ? `-${i + 1}` : '',
        sessionDuration: durationFor(kind, settings),
        kind,
        managedPolicies: part.managed,
        customerManagedPolicies: part.customer,
        inlinePolicy: part.inline.length > 0 ? policyJson(part.inline) : null,
        permissionsBoundary: bundle.boundary,
        reason: [base + why, ...bundle.notes].join('. '),
      });
    });
    partsByBundle.set(bundle.key, keys);
  }
  const names = assignNames(
    drafts.map((d) => ({
      key: d.key,
      stem: d.stem,
      suffix: d.suffix,
      qualifier: d.qualifier,
      bounded: d.permissionsBoundary !== null,
    })),
  );
  const permissionSets = drafts.map(({ stem: _s, suffix: _x, qualifier: _q, ...d }) => ({
    ...d,
    name: names.get(d.key) as string,
  }));
  return { permissionSets: permissionSets.map(orderFields), partsByBundle, problems };
}

function orderFields(p: PlannedPermissionSet): PlannedPermissionSet {
  const {
    key,
    name,
    sessionDuration,
    kind,
    managedPolicies,
    customerManagedPolicies,
    inlinePolicy,
    permissionsBoundary,
    reason,
  } = p;
  return {
    key,
    name,
    sessionDuration,
    kind,
    managedPolicies,
    customerManagedPolicies,
    inlinePolicy,
    permissionsBoundary,
    reason,
  };
}

function isEmptyBundle(b: Bundle): boolean {
  return b.managedPolicies.length === 0 && b.customerManagedPolicies.length === 0 && b.inline.length === 0;
}

/** The session duration configured for a kind. */
export function durationFor(kind: PermissionSetKind, settings: PlanSettings): string {
  if (kind === 'admin') return settings.sessionDurations.admin;
  if (kind === 'read-only') return settings.sessionDurations.readOnly;
  return settings.sessionDurations.powerUser;
}

const READ_ONLY_MANAGED = /ReadOnly|ViewOnly|^SecurityAudit$/;

/** admin (everything, or AdministratorAccess), read-only (nothing that writes), else power-user. */
export function kindOf(bundle: Bundle, compiler: PolicyCompiler): PermissionSetKind {
  if (bundle.managedPolicies.some((a) => a.endsWith(':policy/AdministratorAccess'))) return 'admin';
  const catalog = compiler.expander.catalog;
  const all = emptyBitset(catalog.size);
  let writesOpaque = false;
  // AWS's read-only job functions include a few actions the catalog rates Write (e.g. starting queries);
  // their names are the better signal. Everything else is judged by the actions it allows.
  const docs = bundle.sources
    .filter((s) => s.kind === 'aws-managed' && s.document && !READ_ONLY_MANAGED.test(s.name))
    .map((s) => s.document as string);
  if (bundle.inline.length > 0) docs.push(policyJson(bundle.inline));
  for (const doc of docs) {
    const compiled = compiler.compile(doc);
    for (const g of compiled.allows) {
      if (g.resources.includes('*') && countBits(g.actions) === catalog.size) return 'admin';
      orInto(all, g.actions);
    }
    for (const o of compiled.opaque) {
      if (o.effect !== 'Allow') continue;
      const w = new Uint32Array(o.actions);
      andInto(w, catalog.writeActions);
      if (countBits(w) > 0) writesOpaque = true;
    }
  }
  andInto(all, catalog.writeActions);
  if (bundle.customerManagedPolicies.length > 0 || writesOpaque || countBits(all) > 0) return 'power-user';
  return 'read-only';
}

type Part = { managed: string[]; customer: { name: string; path: string }[]; inline: Statement[] };

function splitBundle(
  bundle: Bundle,
  quota: number,
): { list: Part[]; why: string; problem?: { id: string; message: string } } {
  const attachments: ({ arn: string } | { ref: { name: string; path: string } })[] = [
    ...bundle.managedPolicies.map((arn) => ({ arn })),
    ...bundle.customerManagedPolicies.map((ref) => ({ ref })),
  ];
  const chunks: (typeof attachments)[] = [];
  for (let i = 0; i < attachments.length; i += quota) chunks.push(attachments.slice(i, i + quota));
  const split = splitStatements(bundle.inline);
  const inlineParts = split.ok ? split.parts : [bundle.inline];
  const denies = bundle.inline.filter((s) => s.effect === 'Deny');
  const n = Math.max(chunks.length, inlineParts.length, 1);
  const list: Part[] = [];
  for (let i = 0; i < n; i++) {
    const chunk = chunks[i] ?? [];
    list.push({
      managed: chunk.flatMap((a) => ('arn' in a ? [a.arn] : [])),
      customer: chunk.flatMap((a) => ('ref' in a ? [a.ref] : [])),
      inline: inlineParts[i] ?? denies,
    });
  }
  const reasons: string[] = [];
  if (chunks.length > 1)
    reasons.push(
      `${attachments.length} managed and customer managed policies exceed the quota of ${quota} per permission set`,
    );
  if (inlineParts.length > 1) {
    const size = measureInlinePolicy(policyJson(bundle.inline));
    reasons.push(
      `the merged inline policy needs ${size.nonWhitespace.toLocaleString('en-US')} non-whitespace characters (limit 10,240)`,
    );
  }
  return { list, why: reasons.join('; '), problem: split.ok ? undefined : { id: split.id, message: split.message } };
}

function describeSources(bundle: Bundle): string {
  const managed = bundle.managedPolicies.map((a) => a.slice(a.lastIndexOf('/') + 1));
  const custom = bundle.sources
    .filter((s) => s.kind !== 'aws-managed')
    .map(
      (s) => `${s.kind === 'inline' ? 'inline' : 'customer managed'} ${s.name}${s.via === 'user' ? '' : ` (${s.via})`}`,
    );
  const parts: string[] = [];
  if (managed.length) parts.push(`AWS managed ${managed.join(', ')}`);
  if (custom.length) parts.push(`${bundle.inline.length ? 'merged from ' : ''}${custom.join(', ')}`);
  const b = bundle.boundary;
  if (b)
    parts.push(
      `permissions boundary ${'managedPolicyArn' in b ? b.managedPolicyArn.slice(b.managedPolicyArn.lastIndexOf('/') + 1) : b.customerManagedPolicy.name}`,
    );
  return parts.join('; ') || 'no policies';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
