/**
 * Identity Center's list paging: `count` from 1 to 100 (default 100), no `startIndex` (ignored: every page
 * without a cursor starts at 1), and cursor paging when the `cursor` parameter is present, which switches the
 * response to `itemsPerPage` + `nextCursor`.
 */
import { randomBytes } from 'node:crypto';
import { validation } from './scim-errors.js';
import type { ScimState } from './scim-state.js';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
/** The most results one page returns. */
export const MAX_PAGE_SIZE = 100;

/** One page of `items` as the SCIM ListResponse Identity Center sends. */
export function pageOf<T>(state: ScimState, items: T[], query: URLSearchParams): Record<string, unknown> {
  let count = MAX_PAGE_SIZE;
  const rawCount = query.get('count');
  if (rawCount !== null) {
    if (!/^\d+$/.test(rawCount)) throw validation();
    count = Number(rawCount);
    if (count < 1 || count > MAX_PAGE_SIZE)
      throw validation(`count must be between 1 and ${MAX_PAGE_SIZE}, got ${rawCount}`);
  }
  const cursor = query.get('cursor');
  if (cursor === null) {
    const page = items.slice(0, count);
    return {
      totalResults: items.length,
      itemsPerPage: page.length,
      startIndex: 1,
      schemas: [LIST_RESPONSE_SCHEMA],
      Resources: page,
    };
  }
  let offset = 0;
  if (cursor !== '') {
    if (!/^[-a-zA-Z0-9+=/:_]*$/.test(cursor)) throw validation();
    const known = state.cursors.get(cursor);
    if (known === undefined) throw validation('The cursor is invalid or has expired.');
    offset = known;
  }
  const page = items.slice(offset, offset + count);
  const body: Record<string, unknown> = { itemsPerPage: page.length, schemas: [LIST_RESPONSE_SCHEMA], Resources: page };
  if (offset + count < items.length) {
    const next = randomBytes(24).toString('base64url');
    state.cursors.set(next, offset + count);
    body.nextCursor = next;
  }
  return body;
}
