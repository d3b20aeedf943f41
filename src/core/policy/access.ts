/**
 * Effective access of one principal (an IAM user, or one permission set's role): the union of its policies'
 * grants, minus whole-resource Denies, within its permissions boundary.
 */
import { andInto, andNotInto, type Bitset, emptyBitset, orInto } from './bitset.js';
import type { CompiledPolicy, Grant, OpaqueStatement } from './compile.js';

/** A compiled policy and where it came from (for messages). */
export type SourcedPolicy = { label: string; policy: CompiledPolicy };

/** What a principal may do, in the form parity compares. */
export type Access = {
  /** Actions allowed unconditionally on at least one resource, after Denies and the boundary. */
  actions: Bitset;
  /** Literal actions the catalog does not know, allowed unconditionally. */
  unknown: Set<string>;
  allows: Grant[];
  opaque: (OpaqueStatement & { source: string })[];
  /** Content hash of the boundary policy, or null. */
  boundary: string | null;
};

/** Combines a principal's policies (and optional boundary) into its effective access. */
export function accessOf(policies: SourcedPolicy[], boundary: CompiledPolicy | null, size: number): Access {
  const actions = emptyBitset(size);
  const denied = emptyBitset(size);
  const unknown = new Set<string>();
  const deniedUnknown = new Set<string>();
  const allows: Grant[] = [];
  const opaque: Access['opaque'] = [];
  for (const { label, policy } of policies) {
    for (const g of policy.allows) {
      orInto(actions, g.actions);
      for (const u of g.unknown) unknown.add(u);
      allows.push(g);
    }
    for (const d of policy.denies) {
      orInto(denied, d.actions);
      for (const u of d.unknown) deniedUnknown.add(u);
    }
    for (const o of policy.opaque) opaque.push({ ...o, source: label });
  }
  andNotInto(actions, denied);
  for (const u of deniedUnknown) unknown.delete(u);
  if (boundary) {
    const limit = emptyBitset(size);
    for (const g of boundary.allows) orInto(limit, g.actions);
    for (const d of boundary.denies) andNotInto(limit, d.actions);
    andInto(actions, limit);
  }
  return { actions, unknown, allows, opaque, boundary: boundary?.hash ?? null };
}
