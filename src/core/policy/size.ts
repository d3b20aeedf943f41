/**
 * AWS Identity Center limits a permission set must meet, and how a policy measures against them.
 */

/** Inline policy: at most this many characters in total. */
export const INLINE_POLICY_MAX_CHARS = 32_768;
/** Inline policy: at most this many characters that are not whitespace. */
export const INLINE_POLICY_MAX_NON_WHITESPACE = 10_240;
/** Managed + customer managed policies per permission set, unless the quota was raised. */
export const DEFAULT_MANAGED_POLICY_QUOTA = 10;
/** The highest managed-policies-per-role quota AWS grants. */
export const MAX_MANAGED_POLICY_QUOTA = 25;
/** Permission set names: 1-32 characters of this set. */
export const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

/** How a policy text measures against the inline limits. */
export type PolicySize = { chars: number; nonWhitespace: number; fits: boolean };

/** Measures `text` against the inline policy limits. */
export function measureInlinePolicy(text: string): PolicySize {
  let ws = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) ws++;
  }
  const nonWhitespace = text.length - ws;
  return {
    chars: text.length,
    nonWhitespace,
    fits: text.length <= INLINE_POLICY_MAX_CHARS && nonWhitespace <= INLINE_POLICY_MAX_NON_WHITESPACE,
  };
}
