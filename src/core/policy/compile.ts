/**
 * Policies compiled for comparison: unconditional Allow statements as (action bit set, resources) grants,
 * unconditional whole-resource Denies as bit sets, and the statements that cannot be compared statically
 * (conditions, NotResource, resource-scoped Denies) kept by canonical key. Compiled once per document text.
 */
import { createHash } from 'node:crypto';
import type { Bitset } from './bitset.js';
import { type PolicyProblem, parsePolicyDocument, type Statement, statementKey } from './document.js';
import type { ActionExpander } from './expand.js';

/**
 * Actions allowed (or denied) on a list of resource patterns. `patterns`/`notPatterns` are the statement's
 * own Action or NotAction list, used to match action names the catalog does not know.
 */
export type Grant = {
  actions: Bitset;
  unknown: string[];
  resources: string[];
  key: string;
  patterns: string[];
  notPatterns: string[] | null;
};

/** A statement compared only by its exact text: present after the migration or flagged for review. */
export type OpaqueStatement = {
  key: string;
  effect: 'Allow' | 'Deny';
  actions: Bitset;
  why: 'condition' | 'not-resource' | 'scoped-deny';
  summary: string;
};

/** One policy document ready for access comparison. */
export type CompiledPolicy = {
  hash: string;
  allows: Grant[];
  denies: Grant[];
  opaque: OpaqueStatement[];
  problems: PolicyProblem[];
};

/** Compiles documents once per distinct text (documents shared by thousands of users compile once). */
export type PolicyCompiler = { compile(document: string): CompiledPolicy; readonly expander: ActionExpander };

/** A compiler with its own cache over `expander`'s catalog. */
export function createPolicyCompiler(expander: ActionExpander): PolicyCompiler {
  const byHash = new Map<string, CompiledPolicy>();
  const byText = new Map<string, CompiledPolicy>();
  return {
    expander,
    compile(document) {
      const seen = byText.get(document);
      if (seen) return seen;
      const hash = hashText(document);
      let hit = byHash.get(hash);
      if (!hit) {
        hit = compileDocument(document, hash, expander);
        byHash.set(hash, hit);
      }
      byText.set(document, hit);
      return hit;
    },
  };
}

/** Short content hash used for documents, bundles and fingerprints. */
export function hashText(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function compileDocument(document: string, hash: string, expander: ActionExpander): CompiledPolicy {
  const parsed = parsePolicyDocument(document);
  const out: CompiledPolicy = { hash, allows: [], denies: [], opaque: [], problems: parsed.problems };
  for (const s of parsed.statements) {
    const set = s.actions ? expander.expand(s.actions) : expander.expandNot(s.notActions ?? []);
    const key = statementKey(s);
    const why = opaqueReason(s);
    if (why) {
      out.opaque.push({ key, effect: s.effect, actions: set.bits, why, summary: summarize(s, why) });
      continue;
    }
    const grant: Grant = {
      actions: set.bits,
      unknown: set.unknown,
      resources: s.resources ?? ['*'],
      key,
      patterns: s.actions ?? [],
      notPatterns: s.notActions,
    };
    (s.effect === 'Allow' ? out.allows : out.denies).push(grant);
  }
  return out;
}

function opaqueReason(s: Statement): OpaqueStatement['why'] | null {
  if (s.condition) return 'condition';
  if (s.notResources) return 'not-resource';
  if (s.effect === 'Deny' && !(s.resources ?? []).includes('*')) return 'scoped-deny';
  return null;
}

function summarize(s: Statement, why: OpaqueStatement['why']): string {
  const list = s.actions ?? s.notActions ?? [];
  const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? ` (+${list.length - 3})` : '');
  const acts = s.actions ? shown : `NotAction ${shown}`;
  const res = s.notResources
    ? `NotResource ${s.notResources.slice(0, 2).join(', ')}`
    : (s.resources ?? []).slice(0, 2).join(', ');
  const cond = why === 'condition' ? ` when ${Object.keys(s.condition ?? {}).join('+')}` : '';
  return `${s.effect} ${acts} on ${res}${cond}`;
}
