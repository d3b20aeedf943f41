/**
 * Action patterns (`s3:Get*`, `*`, `ec2:Describe?nstances`) expanded against the catalog into bit sets.
 * Literal actions the catalog does not know are kept by name so they are still compared.
 */
import { type Bitset, complement, emptyBitset, orInto, setBit } from './bitset.js';
import type { ActionCatalog } from './catalog.js';

/** Actions as catalog ids plus literal names the catalog lacks (lowercase). */
export type ActionSet = { bits: Bitset; unknown: string[] };

/** Expands action patterns, caching each pattern's expansion. */
export type ActionExpander = {
  readonly catalog: ActionCatalog;
  /** The actions a statement's Action list allows. */
  expand(patterns: string[]): ActionSet;
  /** The actions a NotAction list leaves: every catalog action not matched. */
  expandNot(patterns: string[]): ActionSet;
};

/** An expander over `catalog` with its own pattern cache. */
export function createExpander(catalog: ActionCatalog): ActionExpander {
  const cache = new Map<string, ActionSet>();
  const one = (pattern: string): ActionSet => {
    const key = pattern.toLowerCase();
    let hit = cache.get(key);
    if (!hit) {
      hit = expandPattern(catalog, key);
      cache.set(key, hit);
    }
    return hit;
  };
  const many = (patterns: string[]): ActionSet => {
    if (patterns.length === 1) return one(patterns[0]);
    const bits = emptyBitset(catalog.size);
    const unknown = new Set<string>();
    for (const p of patterns) {
      const set = one(p);
      orInto(bits, set.bits);
      for (const u of set.unknown) unknown.add(u);
    }
    return { bits, unknown: [...unknown].sort() };
  };
  return {
    catalog,
    expand: many,
    expandNot: (patterns) => ({ bits: complement(many(patterns).bits, catalog.size), unknown: [] }),
  };
}

function expandPattern(catalog: ActionCatalog, pattern: string): ActionSet {
  const bits = emptyBitset(catalog.size);
  if (pattern === '*') {
    for (let id = 0; id < catalog.size; id++) setBit(bits, id);
    return { bits, unknown: [] };
  }
  const colon = pattern.indexOf(':');
  if (colon < 0) return { bits, unknown: [pattern] };
  const service = pattern.slice(0, colon);
  const action = pattern.slice(colon + 1);
  const wild = /[*?]/;
  if (!wild.test(pattern)) {
    const id = catalog.ids.get(pattern);
    if (id === undefined) return { bits, unknown: [pattern] };
    setBit(bits, id);
    return { bits, unknown: [] };
  }
  const serviceRanges = wild.test(service)
    ? [...catalog.services].filter(([name]) => globToRegExp(service).test(name)).map(([, r]) => r)
    : [catalog.services.get(service)].filter((r) => r !== undefined);
  const matchAll = action === '*';
  const re = globToRegExp(action);
  for (const range of serviceRanges) {
    for (let id = range.start; id < range.end; id++) {
      if (matchAll || re.test(catalog.keys[id].slice(catalog.keys[id].indexOf(':') + 1))) setBit(bits, id);
    }
  }
  return { bits, unknown: [] };
}

/** Compiled globs: planning tests the same few hundred patterns millions of times (see bench/plan.ts). */
const compiledGlobs = new Map<string, RegExp>();
const COMPILED_GLOBS_MAX = 50_000;

/** A case-insensitive, anchored regular expression for an IAM glob (`*` any run, `?` one character). */
export function globToRegExp(glob: string): RegExp {
  const known = compiledGlobs.get(glob);
  if (known) return known;
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  // The regular expression has no global flag, so `test` keeps no state between calls and one can be shared.
  const re = new RegExp(`^${body}$`, 'is');
  if (compiledGlobs.size >= COMPILED_GLOBS_MAX) compiledGlobs.clear();
  compiledGlobs.set(glob, re);
  return re;
}

/** True when IAM glob `pattern` matches `value` (case-insensitive). */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === value.toLowerCase();
  return globToRegExp(pattern).test(value);
}
