/**
 * Access parity: what a user may do today (IAM user) against what the planned permission sets give them, at
 * action level over the full catalog and at resource level where policies scope resources. Gaps block apply
 * for the user until fixed or acknowledged; statements with conditions are flagged for review.
 */
import type { UserParity } from './plan-types.js';
import type { Access } from './policy/access.js';
import { andInto, type Bitset, difference, emptyBitset, hasBit, isEmptyBitset, orInto } from './policy/bitset.js';
import type { ActionCatalog } from './policy/catalog.js';
import { globMatches } from './policy/expand.js';

/** Most excess entries listed per user; the rest are counted. */
export const EXCESS_LIMIT = 100;

/** Compares a user's access before with the union of the permission sets' access after. */
export function compareAccess(
  before: Access,
  after: Access[],
  catalog: ActionCatalog,
): Omit<UserParity, 'acknowledged'> {
  const afterActions = emptyBitset(catalog.size);
  const afterUnknown = new Set<string>();
  for (const a of after) {
    orInto(afterActions, a.actions);
    for (const u of a.unknown) afterUnknown.add(u);
  }
  const gaps = describeActions(difference(before.actions, afterActions), catalog);
  for (const u of before.unknown) if (!afterUnknown.has(u) && !after.some((a) => allowsName(a, u))) gaps.push(u);
  const excessAll = describeActions(difference(afterActions, before.actions), catalog);
  for (const u of afterUnknown) if (!before.unknown.has(u) && !allowsName(before, u)) excessAll.push(u);
  gaps.push(...resourceGaps(before, after, afterActions, catalog));
  const excess = [...excessAll.slice(0, EXCESS_LIMIT), ...resourceExcess(before, after, catalog)];
  if (excessAll.length > EXCESS_LIMIT) excess.push(`… and ${excessAll.length - EXCESS_LIMIT} more`);
  return { gaps, excess, needsReview: reviews(before, after) };
}

/** True when an access allows the action named `name` (one the catalog does not know) by some pattern. */
function allowsName(access: Access, name: string): boolean {
  return access.allows.some((g) =>
    g.notPatterns ? !g.notPatterns.some((p) => globMatches(p, name)) : g.patterns.some((p) => globMatches(p, name)),
  );
}

/** Actions as names, a whole service as `service:*`. */
export function describeActions(bits: Bitset, catalog: ActionCatalog): string[] {
  if (isEmptyBitset(bits)) return [];
  const out: string[] = [];
  for (const [prefix, range] of catalog.services) {
    let held = 0;
    for (let id = range.start; id < range.end; id++) if (hasBit(bits, id)) held++;
    if (held === 0) continue;
    if (held === range.end - range.start) out.push(`${prefix}:*`);
    else for (let id = range.start; id < range.end; id++) if (hasBit(bits, id)) out.push(catalog.names[id]);
  }
  return out;
}

/** For each resource a policy scoped before, the actions no permission set allows on it after. */
function resourceGaps(before: Access, after: Access[], afterActions: Bitset, catalog: ActionCatalog): string[] {
  const out: string[] = [];
  const cover = coverage(after, catalog);
  for (const g of before.allows) {
    const relevant = new Uint32Array(g.actions);
    andInto(relevant, before.actions);
    andInto(relevant, afterActions);
    if (isEmptyBitset(relevant)) continue;
    for (const r of g.resources) {
      const missing = difference(relevant, cover(r));
      for (const a of describeActions(missing, catalog)) out.push(`${a} on ${r}`);
    }
  }
  return [...new Set(out)];
}

function resourceExcess(before: Access, after: Access[], catalog: ActionCatalog): string[] {
  const cover = coverage([before], catalog);
  const out = new Set<string>();
  for (const a of after) {
    for (const g of a.allows) {
      const relevant = new Uint32Array(g.actions);
      andInto(relevant, a.actions);
      andInto(relevant, before.actions);
      if (isEmptyBitset(relevant)) continue;
      for (const r of g.resources) {
        const extra = difference(relevant, cover(r));
        if (!isEmptyBitset(extra)) out.add(`${describeActions(extra, catalog).slice(0, 5).join(', ')} on ${r}`);
      }
    }
  }
  return [...out].slice(0, EXCESS_LIMIT);
}

/** Actions the accesses allow on resource `r` (a grant covers r when one of its patterns matches it). */
function coverage(accesses: Access[], catalog: ActionCatalog): (r: string) => Bitset {
  const cache = new Map<string, Bitset>();
  return (r) => {
    let hit = cache.get(r);
    if (!hit) {
      hit = emptyBitset(catalog.size);
      for (const a of accesses) {
        for (const g of a.allows) {
          if (!g.resources.some((p) => resourceCovers(p, r))) continue;
          const eff = new Uint32Array(g.actions);
          andInto(eff, a.actions);
          orInto(hit, eff);
        }
      }
      cache.set(r, hit);
    }
    return hit;
  };
}

/** True when resource pattern `p` allows at least everything `r` names (ARNs compare case-sensitively). */
export function resourceCovers(p: string, r: string): boolean {
  if (p === '*' || p === r) return true;
  if (!/[*?]/.test(p)) return false;
  let re = patterns.get(p);
  if (!re) {
    const body = p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
    patterns.set(p, re);
  }
  return re.test(r);
}

/** Compiled resource patterns (a pure memo: the same pattern always compiles the same way). */
const patterns = new Map<string, RegExp>();

function reviews(before: Access, after: Access[]): string[] {
  const out: string[] = [];
  const afterKeys = new Set(after.flatMap((a) => a.opaque.map((o) => o.key)));
  for (const o of before.opaque) {
    if (o.effect === 'Allow' && afterKeys.has(o.key)) continue;
    if (
      o.effect === 'Deny' &&
      after.every((a) => a.opaque.some((x) => x.key === o.key) || !overlaps(a.actions, o.actions))
    )
      continue;
    out.push(
      `${o.summary} (${o.source}): ${o.why === 'condition' ? 'condition' : o.why} not carried over as is; compare by hand`,
    );
  }
  const beforeKeys = new Set(before.opaque.map((o) => o.key));
  for (const a of after) {
    for (const o of a.opaque) {
      if (!beforeKeys.has(o.key))
        out.push(`${o.summary} (${o.source}): new statement that cannot be compared statically`);
    }
  }
  if (after.some((a) => a.boundary !== before.boundary)) out.push("permissions boundary differs from the IAM user's");
  return [...new Set(out)];
}

function overlaps(a: Bitset, b: Bitset): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] & b[i]) !== 0) return true;
  return false;
}

/** The gaps no acknowledged entry (exact or IAM-style wildcard) covers. */
export function unacknowledgedGaps(gaps: string[], acknowledged: string[]): string[] {
  return gaps.filter((g) => !acknowledged.some((a) => a === g || globMatches(a, g)));
}
