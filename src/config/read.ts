/**
 * Readers for iam2sso.yaml values that record every problem with its line (from the `yaml` package's node
 * ranges) instead of stopping at the first one.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Problem } from '../errors.js';

/** Where problems go while a file is read. */
export type ReadContext = { file: string; lines: LineCounter; problems: Problem[] };

/** Records a problem at the node's line (or without a line when the node is missing). */
export function problem(ctx: ReadContext, node: unknown, message: string): void {
  const range = (node as Node | undefined)?.range;
  ctx.problems.push({ file: ctx.file, ...(range ? { line: ctx.lines.linePos(range[0]).line } : {}), message });
}

/** The pairs of a mapping, checking keys against the known ones. */
export function readMap(
  ctx: ReadContext,
  node: unknown,
  where: string,
  known: string[],
): Map<string, { key: Node; value: unknown }> | undefined {
  if (!isMap(node)) {
    problem(ctx, node, `${where} must be a mapping (key: value lines)`);
    return undefined;
  }
  const out = new Map<string, { key: Node; value: unknown }>();
  for (const pair of (node as YAMLMap).items as Pair<Node, unknown>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!known.includes(key)) {
      problem(ctx, pair.key, `unknown key "${key}" in ${where} (known: ${known.join(', ')})`);
      continue;
    }
    out.set(key, { key: pair.key, value: pair.value });
  }
  return out;
}

/** A string scalar, or undefined with a problem. */
export function readString(ctx: ReadContext, node: unknown, where: string): string | undefined {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
  problem(ctx, node, `${where} must be a string`);
  return undefined;
}

/** A whole number in range, or undefined with a problem. */
export function readInt(ctx: ReadContext, node: unknown, where: string, min: number, max: number): number | undefined {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  problem(ctx, node, `${where} must be a whole number from ${min} to ${max}`);
  return undefined;
}

/** One of the allowed values, or undefined with a problem. */
export function readEnum<T extends string>(
  ctx: ReadContext,
  node: unknown,
  where: string,
  allowed: readonly T[],
): T | undefined {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  problem(ctx, node, `${where} must be one of ${allowed.join(', ')}`);
  return undefined;
}

/** The items of a sequence, or an empty list with a problem. */
export function readSeq(ctx: ReadContext, node: unknown, where: string): unknown[] {
  if (isSeq(node)) return node.items;
  problem(ctx, node, `${where} must be a list`);
  return [];
}

/** A list of regular expressions, each compiled to check it. */
export function readPatterns(ctx: ReadContext, node: unknown, where: string): string[] | undefined {
  const out: string[] = [];
  let ok = isSeq(node);
  for (const [i, item] of readSeq(ctx, node, where).entries()) {
    const s = readString(ctx, item, `${where}[${i}]`);
    if (s === undefined) {
      ok = false;
      continue;
    }
    try {
      new RegExp(s, 'i');
      out.push(s);
    } catch (e) {
      problem(ctx, item, `${where}[${i}] is not a valid regular expression: ${(e as Error).message}`);
      ok = false;
    }
  }
  return ok ? out : undefined;
}
