/** NextToken paging for the SSO Admin and Identity Store list calls: opaque tokens over a stable order. */
import { invalid } from './validation.js';

/** One page of `items` from the position `NextToken` encodes, and the token for the next page. */
export function pageOf<T>(
  items: readonly T[],
  input: { NextToken?: unknown },
  pageSize: number,
  scope: string,
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (input.NextToken !== undefined && input.NextToken !== null) {
    start = decodeToken(String(input.NextToken), scope);
  }
  const slice = items.slice(start, start + pageSize);
  const next = start + pageSize < items.length ? encodeToken(start + pageSize, scope) : undefined;
  return { items: slice, nextToken: next };
}

function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64');
}

function decodeToken(token: string, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown; s?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.s === scope) {
      return parsed.o;
    }
  } catch {
    // fall through to the error below
  }
  throw invalid('The specified pagination token is not valid');
}
