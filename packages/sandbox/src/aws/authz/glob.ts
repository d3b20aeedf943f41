/** IAM's wildcard match (`*` any run of characters, `?` exactly one), compiled once per pattern. */

const globCache = new Map<string, RegExp>();

/** A glob as an anchored regular expression; `caseless` for action names, which IAM compares ignoring case. */
export function globRegex(pattern: string, caseless = false): RegExp {
  const key = `${caseless ? 'i' : 's'}${pattern}`;
  let regex = globCache.get(key);
  if (!regex) {
    const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
    regex = new RegExp(`^${body}$`, caseless ? 'is' : 's');
    if (globCache.size > 20_000) globCache.clear();
    globCache.set(key, regex);
  }
  return regex;
}
