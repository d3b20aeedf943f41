/**
 * Policies a bundle does not need: one whose every allowed action and resource is already allowed by the others
 * (PowerUserAccess next to AdministratorAccess, ReadOnlyAccess next to a superset). The parity engine proves it:
 * the user's access with the policy and without it compare with no gap. Policies with Denies or conditions are
 * never dropped, since they change access in ways the comparison does not cover.
 */
import { compareAccess } from './parity.js';
import type { PolicySource, UserPolicies } from './permission-sets-sources.js';
import { accessOf, type SourcedPolicy } from './policy/access.js';
import { countBits, difference, emptyBitset, isEmptyBitset, orInto } from './policy/bitset.js';
import type { CompiledPolicy, PolicyCompiler } from './policy/compile.js';

/** Drops subsumed policies from users' policies; results are cached by content, per instance. */
export type Subsumer = (policies: UserPolicies) => { policies: UserPolicies; notes: string[] };

/** A subsumer over one compiler. */
export function createSubsumer(compiler: PolicyCompiler): Subsumer {
  const cache = new Map<string, { dropped: Set<string>; notes: string[] }>();
  const size = compiler.expander.catalog.size;
  return (policies) => {
    const usable = policies.sources.filter((s) => s.document !== null);
    if (usable.length < 2) return { policies, notes: [] };
    const compiled = new Map(usable.map((s) => [sourceKey(s), compiler.compile(s.document as string)]));
    const signature = [...compiled].map(([k, c]) => `${k}=${c.hash}`).join('|');
    let hit = cache.get(signature);
    if (!hit) {
      hit = findSubsumed(usable, compiled, size, compiler);
      cache.set(signature, hit);
    }
    const { dropped, notes } = hit;
    if (dropped.size === 0) return { policies, notes: [] };
    return { policies: { ...policies, sources: policies.sources.filter((s) => !dropped.has(sourceKey(s))) }, notes };
  };
}

function findSubsumed(
  sources: PolicySource[],
  compiled: Map<string, CompiledPolicy>,
  size: number,
  compiler: PolicyCompiler,
): { dropped: Set<string>; notes: string[] } {
  const catalog = compiler.expander.catalog;
  const sourced = (list: PolicySource[]): SourcedPolicy[] =>
    list.map((s) => ({ label: s.name, policy: compiled.get(sourceKey(s)) as CompiledPolicy }));
  const full = accessOf(sourced(sources), null, size);
  const breadth = (s: PolicySource) =>
    (compiled.get(sourceKey(s)) as CompiledPolicy).allows.reduce((n, g) => n + countBits(g.actions), 0);
  const candidates = [...sources]
    .filter((s) => {
      const c = compiled.get(sourceKey(s)) as CompiledPolicy;
      const denies = c.opaque.some((o) => o.effect === 'Deny');
      return c.denies.length === 0 && !denies && c.problems.length === 0 && c.allows.length > 0;
    })
    .sort((a, b) => breadth(a) - breadth(b) || (a.id < b.id ? -1 : 1));
  let current = [...sources];
  const dropped = new Set<string>();
  const notes: string[] = [];
  for (const c of candidates) {
    const rest = current.filter((s) => s !== c);
    if (rest.length === 0) continue;
    const without = accessOf(sourced(rest), null, size);
    if (compareAccess(full, [without], catalog).gaps.length > 0) continue;
    if (!conditionalCovered(compiled.get(sourceKey(c)) as CompiledPolicy, rest, compiled, size)) continue;
    current = rest;
    dropped.add(sourceKey(c));
    const alone = accessOf(sourced([c]), null, size);
    const by = rest.find((r) => compareAccess(alone, [accessOf(sourced([r]), null, size)], catalog).gaps.length === 0);
    notes.push(
      `dropped ${c.name}${c.via === 'user' ? '' : ` (${c.via})`}: everything it allows is already allowed by ${by ? by.name : 'the other policies'} (parity: no access lost)`,
    );
  }
  return { dropped, notes };
}

/** A conditional Allow of `c` is redundant only when the others allow its actions on every resource, unconditionally. */
function conditionalCovered(
  c: CompiledPolicy,
  rest: PolicySource[],
  compiled: Map<string, CompiledPolicy>,
  size: number,
): boolean {
  const conditional = c.opaque.filter((o) => o.effect === 'Allow');
  if (conditional.length === 0) return true;
  const everywhere = emptyBitset(size);
  for (const r of rest)
    for (const g of (compiled.get(sourceKey(r)) as CompiledPolicy).allows)
      if (g.resources.includes('*')) orInto(everywhere, g.actions);
  return conditional.every((o) => isEmptyBitset(difference(new Uint32Array(o.actions), everywhere)));
}

function sourceKey(s: PolicySource): string {
  return `${s.kind}|${s.id}`;
}
