/**
 * Fixed-size bit sets over the action catalog's ids. Every policy's allowed actions become one of these, so
 * unions, differences and equality over ~22k actions are a few hundred word operations.
 */

/** A set of catalog action ids; all sets of one catalog have the same length. */
export type Bitset = Uint32Array;

/** An empty set able to hold ids below `size`. */
export function emptyBitset(size: number): Bitset {
  return new Uint32Array((size + 31) >>> 5);
}

/** Adds `id` to `set`. */
export function setBit(set: Bitset, id: number): void {
  set[id >>> 5] |= 1 << (id & 31);
}

/** True when `id` is in `set`. */
export function hasBit(set: Bitset, id: number): boolean {
  return (set[id >>> 5] & (1 << (id & 31))) !== 0;
}

/** Adds every id of `from` to `into` (in place). */
export function orInto(into: Bitset, from: Bitset): void {
  for (let i = 0; i < into.length; i++) into[i] |= from[i];
}

/** Keeps in `into` only ids also in `other` (in place). */
export function andInto(into: Bitset, other: Bitset): void {
  for (let i = 0; i < into.length; i++) into[i] &= other[i];
}

/** Removes from `into` every id of `other` (in place). */
export function andNotInto(into: Bitset, other: Bitset): void {
  for (let i = 0; i < into.length; i++) into[i] &= ~other[i];
}

/** A new set: ids of `a` not in `b`. */
export function difference(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & ~b[i];
  return out;
}

/** A new set: ids in both. */
export function intersection(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
  return out;
}

/** A new set: ids not in `a`, below `size`. */
export function complement(a: Bitset, size: number): Bitset {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = ~a[i];
  const tail = size & 31;
  if (tail !== 0) out[out.length - 1] &= (1 << tail) - 1;
  return out;
}

/** True when the set has no id. */
export function isEmptyBitset(a: Bitset): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/** True when both sets hold the same ids. */
export function equalBitsets(a: Bitset, b: Bitset): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How many ids the set holds. */
export function countBits(a: Bitset): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    let v = a[i];
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

/** The ids in the set, ascending. */
export function bitIds(a: Bitset): number[] {
  const out: number[] = [];
  for (let w = 0; w < a.length; w++) {
    let v = a[w];
    while (v !== 0) {
      const low = v & -v;
      out.push((w << 5) + 31 - Math.clz32(low));
      v ^= low;
    }
  }
  return out;
}

/** True when every id in `range` [start, end) is in `a`. */
export function hasRange(a: Bitset, start: number, end: number): boolean {
  for (let id = start; id < end; id++) if (!hasBit(a, id)) return false;
  return true;
}
