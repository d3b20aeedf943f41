/** Flag parsers that fail with a usage error naming the flag. */
import { UsageError } from '../errors.js';

export function parseIntFlag(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not "${value}"`);
    return n;
  };
}

export function parseRateFlag(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n > 1)
      throw new UsageError(`${flag} takes a number from 0 to 1, not "${value}"`);
    return n;
  };
}

/** An http(s) URL flag (e.g. --endpoint-url), refused with the flag's name when it is not one. */
export function parseUrlFlag(flag: string): (value: string) => string {
  return (value) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || !url.hostname)
      throw new UsageError(`${flag} takes a full http(s) URL such as https://host:port, not "${value}"`);
    return value;
  };
}
