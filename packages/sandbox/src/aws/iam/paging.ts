/** IAM's list paging: `MaxItems` (1-1000, default 100), an opaque `Marker`, and `IsTruncated`. */
import type { QueryParams } from '../context.js';
import { AwsError, validationError } from '../errors.js';

export type Page<T> = { items: T[]; isTruncated: boolean; marker?: string };

/** The page of `all` that the request's Marker and MaxItems select. */
export function pageOf<T>(all: T[], params: QueryParams): Page<T> {
  const rawMax = params.get('MaxItems');
  let max = 100;
  if (rawMax !== undefined) {
    max = Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > 1000)
      throw validationError(
        `1 validation error detected: Value '${rawMax}' at 'maxItems' failed to satisfy constraint: Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`,
      );
  }
  let start = 0;
  const marker = params.get('Marker');
  if (marker !== undefined && marker !== '') {
    const decoded = /^o:(\d+)$/.exec(Buffer.from(marker, 'base64').toString('utf8'));
    if (!decoded) throw new AwsError('ValidationError', 'Invalid Marker.');
    start = Number(decoded[1]);
  }
  const items = all.slice(start, start + max);
  const next = start + items.length;
  const isTruncated = next < all.length;
  return { items, isTruncated, marker: isTruncated ? Buffer.from(`o:${next}`).toString('base64') : undefined };
}

/** `IsTruncated` and `Marker` result fields of a page. */
export function pageFields(page: Page<unknown>): { IsTruncated: boolean; Marker?: string } {
  return { IsTruncated: page.isTruncated, Marker: page.marker };
}
