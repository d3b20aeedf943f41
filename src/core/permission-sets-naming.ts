/**
 * Readable, deterministic permission set names within AWS's rules (1-32 characters of `[\w+=,.@-]`, see
 * docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreatePermissionSet.html): the AWS managed policy's own
 * name, the IAM groups the access came through, the job functions and services of the policies, and the policies'
 * own names, trimmed to fit. Two different bundles that want one name are told apart by purpose (`-Bounded`), then
 * by the one account each serves; a short hash is the last resort.
 */
import type { Bundle } from './permission-sets-bundle.js';
import { joinWithin, managedLabel, policyLabel, withoutRedundantLabels } from './permission-sets-labels.js';
import { hashText } from './policy/compile.js';

const MAX = 32;
const QUALIFIER_MAX = 12;

/** Turns any text into a valid name stem (invalid characters become `-`). */
export function sanitizeName(text: string): string {
  const cleaned = text.replace(/[^\w+=,.@-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned.length > 0 ? cleaned : 'PermissionSet';
}

/**
 * `stem` + `suffix` within 32 characters: a long stem has its longest words trimmed, and only when that cannot
 * fit (or `forceHash`) is it cut and given a hash of `seed`.
 */
export function fitName(stem: string, suffix: string, seed: string, forceHash = false): string {
  const base = sanitizeName(stem);
  if (!forceHash) {
    if (base.length + suffix.length <= MAX) return base + suffix;
    const trimmed = joinWithin(base.split('-').filter(Boolean), MAX - suffix.length);
    if (trimmed) return trimmed + suffix;
  }
  const hash = `-${hashText(seed, 6)}`;
  return base.slice(0, MAX - hash.length - suffix.length).replace(/-+$/, '') + hash + suffix;
}

/**
 * The name a bundle suggests for one of its users: a lone AWS managed policy's name; else the IAM groups the access
 * came through, then what the user had directly (job functions and services by label, their own policies by name).
 */
export function candidateName(bundle: Bundle): string {
  const sources = bundle.sources;
  if (
    bundle.managedPolicies.length === 1 &&
    bundle.inline.length === 0 &&
    bundle.customerManagedPolicies.length === 0
  ) {
    return nameOfArn(bundle.managedPolicies[0]);
  }
  const custom = sources.filter((s) => s.kind !== 'aws-managed');
  if (custom.length === 1 && bundle.managedPolicies.length === 0 && custom[0].via === 'user') return custom[0].name;
  const groups = [...new Set(sources.filter((s) => s.via !== 'user').map((s) => s.via.slice('group '.length)))];
  const own = sources.filter((s) => s.via === 'user');
  const labels = [
    ...groups,
    ...own.filter((s) => s.kind === 'aws-managed').map((s) => managedLabel(s.name)),
    ...own.filter((s) => s.kind !== 'aws-managed').map((s) => policyLabel(s.name)),
  ];
  const named = withoutRedundantLabels(labels.map(sanitizeName));
  return named.length > 0 ? named.join('-') : 'Custom';
}

function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** What assignNames needs of each permission set. */
export type NameWish = { key: string; stem: string; suffix: string; qualifier?: string | null; bounded?: boolean };

/**
 * Gives each key a unique valid name. Keys whose preferred names collide are told apart by purpose first (when
 * some have a permissions boundary and some do not, the bounded ones say `-Bounded`), then by their qualifier (the
 * one account they serve) where it is theirs alone; a hash suffix is the last resort.
 */
export function assignNames(wanted: NameWish[]): Map<string, string> {
  const nameOf = (w: NameWish) => fitName(w.stem, w.suffix, w.key).toLowerCase();
  const clashes = groupBy(wanted, nameOf);
  const byPurpose = wanted.map((w) => {
    const list = clashes.get(nameOf(w)) ?? [];
    const mixed = list.some((o) => o.bounded) && list.some((o) => !o.bounded);
    return mixed && w.bounded ? { ...w, suffix: `-Bounded${w.suffix}` } : w;
  });
  return assignDistinct(byPurpose);
}

function assignDistinct(wanted: NameWish[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  const groups = groupBy(wanted, (w) => fitName(w.stem, w.suffix, w.key).toLowerCase());
  for (const [name, list] of groups)
    if (list.length === 1) {
      out.set(list[0].key, fitName(list[0].stem, list[0].suffix, list[0].key));
      taken.add(name);
    }
  for (const list of groups.values()) {
    if (list.length === 1) continue;
    const count = new Map<string, number>();
    for (const w of list) if (w.qualifier) count.set(w.qualifier, (count.get(w.qualifier) ?? 0) + 1);
    for (const w of list) {
      const own = w.qualifier && count.get(w.qualifier) === 1 ? qualified(w) : '';
      const name = own && !taken.has(own.toLowerCase()) ? own : fitName(w.stem, w.suffix, w.key, true);
      taken.add(name.toLowerCase());
      out.set(w.key, name);
    }
  }
  return out;
}

/** The name with the account it serves, the account label kept whole (up to 12 characters). */
function qualified(w: NameWish): string {
  const q = sanitizeName(w.qualifier as string).slice(0, QUALIFIER_MAX);
  return fitName(w.stem, `-${q}${w.suffix}`, w.key);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
