/** The two ways the Identity Store finds a resource besides its id: AlternateIdentifier and the deprecated Filters. */
import { AwsError } from '../errors.js';
import { constraintError, invalid, optionalString, requireString } from '../sso-admin/validation.js';

type Rec = Record<string, unknown>;

export type AlternateId =
  | { kind: 'external'; issuer: string; id: string }
  | { kind: 'unique'; path: string; value: string };

/** Reads `AlternateIdentifier` ({ ExternalId: { Issuer, Id } } or { UniqueAttribute: { AttributePath, AttributeValue } }). */
export function alternateIdentifier(input: Rec, uniquePaths: readonly string[]): AlternateId {
  const alt = input.AlternateIdentifier as Rec | undefined;
  if (!alt || typeof alt !== 'object') throw constraintError('alternateIdentifier', null, 'Member must not be null');
  const keys = Object.keys(alt).filter((k) => alt[k] !== undefined && alt[k] !== null);
  if (keys.length !== 1) throw invalid('AlternateIdentifier must have exactly one member set.');
  if (alt.ExternalId) {
    const ext = alt.ExternalId as Rec;
    return {
      kind: 'external',
      issuer: requireString(ext, 'Issuer', { max: 100 }),
      id: requireString(ext, 'Id', { max: 256 }),
    };
  }
  if (alt.UniqueAttribute) {
    const u = alt.UniqueAttribute as Rec;
    const path = requireString(u, 'AttributePath', { max: 255 });
    if (!uniquePaths.includes(path)) {
      throw invalid(`${path} is not a unique attribute. Use one of: ${uniquePaths.join(', ')}.`);
    }
    if (typeof u.AttributeValue !== 'string' || u.AttributeValue.length === 0) {
      throw invalid('AttributeValue must be a non-empty string.');
    }
    return { kind: 'unique', path, value: u.AttributeValue };
  }
  throw new AwsError('ValidationException', `Unknown AlternateIdentifier member ${keys[0]}.`);
}

/** The value of the deprecated single `Filters` entry on `path`, or undefined when there is none. */
export function listFilter(input: Rec, path: string): string | undefined {
  const filters = input.Filters;
  if (filters === undefined || filters === null) return undefined;
  if (!Array.isArray(filters)) throw new AwsError('SerializationException', 'Filters must be a list');
  if (filters.length === 0) return undefined;
  if (filters.length > 1) throw constraintError('filters', filters, 'Member must have length less than or equal to 1');
  const f = filters[0] as Rec;
  const attributePath = requireString(f, 'AttributePath', { max: 255 });
  if (attributePath !== path) throw invalid(`Filtering on ${attributePath} is not supported. Use ${path}.`);
  return optionalString(f, 'AttributeValue', { max: 1024 }) ?? '';
}
