/** The AWS Query protocol (IAM, STS): form-encoded input, XML output and XML errors. */

import type { QueryParams, XmlValue } from './context.js';
import type { AwsError } from './errors.js';
import { validationError } from './errors.js';

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseQueryBody(body: string): QueryParams {
  const params: QueryParams = new Map();
  for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  return params;
}

/** A required string parameter; ValidationError when it is missing. */
export function requireParam(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw validationError(
      `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** An integer parameter, or the default. */
export function intParam(params: QueryParams, name: string, fallback: number): number {
  const value = params.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw validationError(`Invalid value for ${name}: ${value}`);
  return n;
}

/** A boolean parameter, or the default. */
export function boolParam(params: QueryParams, name: string, fallback: boolean): boolean {
  const value = params.get(name);
  return value === undefined ? fallback : value === 'true';
}

/** A list of scalars: `Name.member.1`, `Name.member.2`, ... */
export function listParam(params: QueryParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) out.push(params.get(`${name}.member.${i}`)!);
  return out;
}

/** A list of structures: `Name.member.1.Field`, ... each returned as a field map. */
export function structListParam(params: QueryParams, name: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (let i = 1; ; i++) {
    const prefix = `${name}.member.${i}.`;
    const item: Record<string, string> = {};
    for (const [k, v] of params) if (k.startsWith(prefix)) item[k.slice(prefix.length)] = v;
    if (Object.keys(item).length === 0) break;
    out.push(item);
  }
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

const NEEDS_ESCAPE = /[&<>"']/;

/** Escapes text for XML element content. */
export function escapeXml(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Formatted timestamps of the (never mutated) Dates held in state, which responses repeat often. */
const isoCache = new WeakMap<Date, string>();

/** AWS's ISO-8601 timestamp with milliseconds and Z. */
export function isoTime(date: Date): string {
  let text = isoCache.get(date);
  if (text === undefined) {
    text = date.toISOString();
    isoCache.set(date, text);
  }
  return text;
}

function writeXml(name: string, value: XmlValue, out: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    out.push(`<${name}>`);
    for (const item of value) writeXml('member', item, out);
    out.push(`</${name}>`);
  } else if (value instanceof Date) {
    out.push(`<${name}>${isoTime(value)}</${name}>`);
  } else if (value instanceof Map) {
    out.push(`<${name}>`);
    for (const [k, v] of value) {
      out.push(`<entry><key>${escapeXml(k)}</key>`);
      writeXml('value', v, out);
      out.push('</entry>');
    }
    out.push(`</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) writeXml(k, v, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
  }
}

/** `<ActionResponse xmlns><ActionResult>...</ActionResult><ResponseMetadata>...` */
export function queryResponseXml(action: string, xmlns: string, result: XmlValue, requestId: string): string {
  const out: string[] = [`<${action}Response xmlns="${xmlns}">`];
  if (result !== undefined && result !== null) writeXml(`${action}Result`, result, out);
  out.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
  return out.join('');
}

/** The Query protocol's error document. */
export function queryErrorXml(error: AwsError, xmlns: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
