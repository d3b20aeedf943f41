/**
 * Readable, deterministic permission set names within AWS's rules (1-32 characters of `[\w+=,.@-]`):
 * the AWS managed policy's own name, the IAM group's, or the policy's, with a short hash suffix when a name
 * is too long or two different bundles would otherwise share it.
 */
import type { Bundle } from './permission-sets-bundle.js';
import { hashText } from './policy/compile.js';

const MAX = 32;

/** Turns any text into a valid name stem (invalid characters become `-`). */
export function sanitizeName(text: string): string {
  const cleaned = text.replace(/[^\w+=,.@-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned.length > 0 ? cleaned : 'PermissionSet';
}

/** `stem` + `suffix` within 32 characters, shortening the stem and adding a hash of `seed` when needed. */
export function fitName(stem: string, suffix: string, seed: string, forceHash = false): string {
  const base = sanitizeName(stem);
  if (!forceHash && base.length + suffix.length <= MAX) return base + suffix;
  const hash = `-${hashText(seed, 6)}`;
  return base.slice(0, MAX - hash.length - suffix.length).replace(/-+$/, '') + hash + suffix;
}

/** The name a bundle suggests for one of its users: what their access is recognisably made of. */
export function candidateName(bundle: Bundle): string {
  const sources = bundle.sources;
  const vias = new Set(sources.map((s) => s.via));
  if (
    bundle.managedPolicies.length === 1 &&
    bundle.inline.length === 0 &&
    bundle.customerManagedPolicies.length === 0
  ) {
    return nameOfArn(bundle.managedPolicies[0]);
  }
  if (vias.size === 1 && !vias.has('user')) return [...vias][0].slice('group '.length);
  const custom = sources.filter((s) => s.kind !== 'aws-managed');
  if (custom.length === 1 && bundle.managedPolicies.length === 0) return custom[0].name;
  // Policies that come through an IAM group are named by the group, which says more than a policy name.
  const groups = [...new Set(custom.filter((s) => s.via !== 'user').map((s) => s.via.slice('group '.length)))];
  const own = custom.filter((s) => s.via === 'user').map((s) => abbreviate(s.name));
  const parts = [...bundle.managedPolicies.map((a) => abbreviate(nameOfArn(a))), ...groups, ...own];
  return parts.length > 0 ? [...new Set(parts)].join('-') : 'Custom';
}

/** Shortens AWS managed policy names for combined names: AmazonS3FullAccess → S3Full. */
function abbreviate(name: string): string {
  return name
    .replace(/^(Amazon|AWS)/, '')
    .replace(/FullAccess$/, 'Full')
    .replace(/ReadOnlyAccess$/, 'ReadOnly')
    .replace(/Access$/, '');
}

function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * Gives each key a unique valid name. Keys whose preferred names collide are told apart by purpose first (the one
 * without a permissions boundary keeps the name, the others say `-Bounded`), then by their qualifier (the one
 * account they serve) when those differ; a hash suffix is the last resort.
 */
export function assignNames(
  wanted: { key: string; stem: string; suffix: string; qualifier?: string | null; bounded?: boolean }[],
): Map<string, string> {
  const plainCount = new Map<string, number>();
  for (const w of wanted) {
    const name = fitName(w.stem, w.suffix, w.key).toLowerCase();
    if (!w.bounded) plainCount.set(name, (plainCount.get(name) ?? 0) + 1);
  }
  const byPurpose = wanted.map((w) => {
    const name = fitName(w.stem, w.suffix, w.key).toLowerCase();
    const clash = wanted.some((o) => o !== w && fitName(o.stem, o.suffix, o.key).toLowerCase() === name);
    return clash && w.bounded && plainCount.get(name) === 1 ? { ...w, stem: `${w.stem}-Bounded` } : w;
  });
  return assignDistinct(byPurpose);
}

function assignDistinct(
  wanted: { key: string; stem: string; suffix: string; qualifier?: string | null }[],
): Map<string, string> {
  const first = wanted.map((w) => ({ ...w, name: fitName(w.stem, w.suffix, w.key) }));
  const groups = new Map<string, typeof first>();
  for (const w of first) groups.set(w.name.toLowerCase(), [...(groups.get(w.name.toLowerCase()) ?? []), w]);
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const [name, list] of groups) {
    if (list.length === 1) {
      out.set(list[0].key, list[0].name);
      taken.add(name);
    }
  }
  for (const list of groups.values()) {
    if (list.length === 1) continue;
    const qualifiers = list.map((w) => w.qualifier ?? null);
    const distinct = qualifiers.every((q) => q) && new Set(qualifiers).size === list.length;
    for (const w of list) {
      let name = distinct ? fitName(`${w.stem}-${w.qualifier}`, w.suffix, w.key) : '';
      if (!name || taken.has(name.toLowerCase())) name = fitName(w.stem, w.suffix, w.key, true);
      taken.add(name.toLowerCase());
      out.set(w.key, name);
    }
  }
  return out;
}
