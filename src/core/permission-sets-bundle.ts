/**
 * A user's bundle: the AWS managed policies they keep by name, the customer managed policies referenced by
 * name, one merged inline policy for the rest, and their permissions boundary. Equal bundles (same key) become
 * one permission set, whichever users and accounts they come from.
 */

import type { PolicySource, UserPolicies } from './permission-sets-sources.js';
import type { PlanSettings } from './plan-settings.js';
import type { PermissionsBoundaryRef } from './plan-types.js';
import { hashText } from './policy/compile.js';
import { policyJson, type Statement } from './policy/document.js';
import { mergePolicies } from './policy/merge.js';
import { measureInlinePolicy } from './policy/size.js';

export type Bundle = {
  key: string;
  managedPolicies: string[];
  customerManagedPolicies: { name: string; path: string }[];
  inline: Statement[];
  boundary: PermissionsBoundaryRef | null;
  /** Where each part came from, for the permission set's reason. */
  sources: PolicySource[];
  notes: string[];
  problems: { id: string; message: string }[];
};

/** Builds the bundle for one user's policies. */
export function buildBundle(policies: UserPolicies, settings: PlanSettings): Bundle {
  const awsManaged = policies.sources.filter((s) => s.kind === 'aws-managed');
  const customer = policies.sources.filter((s) => s.kind === 'customer-managed');
  const inline = policies.sources.filter((s) => s.kind === 'inline');
  const notes: string[] = [];
  const problems: Bundle['problems'] = [];
  const missing = customer.filter((s) => s.document === null);
  for (const s of missing) {
    problems.push({
      id: 'policy.document-missing',
      message: `document of ${s.id} is not in the audit snapshot; referenced by name`,
    });
  }
  let referenced = settings.customerManagedPolicies === 'reference' ? customer : missing;
  let mergedFrom = [...inline, ...customer.filter((s) => !referenced.includes(s))];
  let merged = merge(mergedFrom, problems);
  if (referenced.length < customer.length && !measureInlinePolicy(policyJson(merged)).fits) {
    notes.push(
      `customer managed policies referenced by name: merged into the inline policy they needed ${measureInlinePolicy(policyJson(merged)).nonWhitespace.toLocaleString('en-US')} non-whitespace characters`,
    );
    referenced = customer;
    mergedFrom = inline;
    merged = merge(inline, []);
  }
  const managedPolicies = [...new Set(awsManaged.map((s) => s.id))].sort();
  const customerManagedPolicies = uniqueRefs(referenced.map((s) => ({ name: s.name, path: s.path })));
  const boundary = policies.boundary?.ref ?? null;
  const key = hashText(
    JSON.stringify([managedPolicies, customerManagedPolicies, merged.length ? policyJson(merged) : null, boundary]),
    12,
  );
  return {
    key,
    managedPolicies,
    customerManagedPolicies,
    inline: merged,
    boundary,
    sources: policies.sources,
    notes,
    problems,
  };
}

function merge(sources: PolicySource[], problems: Bundle['problems']): Statement[] {
  const result = mergePolicies(
    sources.filter((s) => s.document !== null).map((s) => ({ source: s.id, document: s.document as string })),
  );
  for (const p of result.problems) problems.push({ id: p.id, message: `${p.source}: ${p.message}` });
  return result.statements;
}

function uniqueRefs(refs: { name: string; path: string }[]): { name: string; path: string }[] {
  const map = new Map(refs.map((r) => [`${r.path}${r.name}`, r]));
  return [...map.keys()].sort().map((k) => map.get(k) as { name: string; path: string });
}
