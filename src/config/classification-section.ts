/** The `classification:` and `overrides:` sections of iam2sso.yaml. */
import { isScalar } from 'yaml';
import type { Override, TagRule } from '../core/classify-rules.js';
import type { Category } from '../core/model.js';
import type { ConfigSection } from './config.js';
import { problem, type ReadContext, readEnum, readInt, readMap, readPatterns, readSeq, readString } from './read.js';

const CATEGORIES: readonly Category[] = ['human-console', 'human-programmatic', 'service', 'break-glass', 'stale'];
const PATTERN_KEYS = ['servicePatterns', 'breakGlassPatterns', 'humanGroupPatterns', 'serviceGroupPatterns'] as const;

function readTagRules(ctx: ReadContext, node: unknown): TagRule[] {
  return readSeq(ctx, node, 'classification.tagRules').flatMap((item, i) => {
    const where = `classification.tagRules[${i}]`;
    const m = readMap(ctx, item, where, ['key', 'value', 'category']);
    if (!m) return [];
    const key = m.has('key') ? readString(ctx, m.get('key')!.value, `${where}.key`) : undefined;
    if (!m.has('key')) problem(ctx, item, `${where} needs a key`);
    const value = m.has('value') ? readString(ctx, m.get('value')!.value, `${where}.value`) : undefined;
    const category = m.has('category')
      ? readEnum(ctx, m.get('category')!.value, `${where}.category`, CATEGORIES)
      : undefined;
    return key ? [{ key, ...(value !== undefined ? { value } : {}), ...(category ? { category } : {}) }] : [];
  });
}

/** Account ids are 12 digits; an unquoted id is a number in YAML and loses leading zeros, so pad it back. */
function readAccountId(ctx: ReadContext, node: unknown, where: string): string | undefined {
  const raw = isScalar(node) ? node.value : undefined;
  const s = typeof raw === 'number' && Number.isInteger(raw) ? String(raw).padStart(12, '0') : raw;
  if (typeof s === 'string' && /^\d{12}$/.test(s)) return s;
  problem(ctx, node, `${where} must be a 12-digit AWS account id`);
  return undefined;
}

/** `classification:` rules. Pattern lists replace the defaults. */
export const classificationSection: ConfigSection = {
  key: 'classification',
  read(ctx, node, config) {
    const known = ['staleAfterDays', ...PATTERN_KEYS, 'tagRules', 'userAgents'];
    const m = readMap(ctx, node, 'classification', known);
    if (!m) return;
    const rules = config.classification;
    if (m.has('staleAfterDays')) {
      const n = readInt(ctx, m.get('staleAfterDays')!.value, 'classification.staleAfterDays', 1, 3650);
      if (n !== undefined) rules.staleAfterDays = n;
    }
    for (const k of PATTERN_KEYS) {
      if (!m.has(k)) continue;
      const list = readPatterns(ctx, m.get(k)!.value, `classification.${k}`);
      if (list) rules[k] = list;
    }
    if (m.has('tagRules')) rules.tagRules = readTagRules(ctx, m.get('tagRules')!.value);
    if (m.has('userAgents')) {
      const ua = readMap(ctx, m.get('userAgents')!.value, 'classification.userAgents', ['cli', 'sdk', 'console']);
      for (const k of ['cli', 'sdk', 'console'] as const) {
        if (!ua?.has(k)) continue;
        const list = readPatterns(ctx, ua.get(k)!.value, `classification.userAgents.${k}`);
        if (list) rules.userAgents[k] = list;
      }
    }
  },
};

/** `overrides:` a person's verdict on single users; each wins over every rule. */
export const overridesSection: ConfigSection = {
  key: 'overrides',
  read(ctx, node, config) {
    const out: Override[] = [];
    for (const [i, item] of readSeq(ctx, node, 'overrides').entries()) {
      const where = `overrides[${i}]`;
      const m = readMap(ctx, item, where, ['account', 'user', 'category', 'reason']);
      if (!m) continue;
      for (const req of ['account', 'user', 'category']) if (!m.has(req)) problem(ctx, item, `${where} needs ${req}`);
      const account = m.has('account') ? readAccountId(ctx, m.get('account')!.value, `${where}.account`) : undefined;
      const user = m.has('user') ? readString(ctx, m.get('user')!.value, `${where}.user`) : undefined;
      const category = m.has('category')
        ? readEnum(ctx, m.get('category')!.value, `${where}.category`, CATEGORIES)
        : undefined;
      const reason = m.has('reason') ? readString(ctx, m.get('reason')!.value, `${where}.reason`) : undefined;
      if (account && user && category) out.push({ account, user, category, ...(reason ? { reason } : {}) });
    }
    config.classification.overrides = out;
  },
};
