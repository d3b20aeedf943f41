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

/** A duration flag such as 90s, 45m, 2h or 1h30m (and 0 when `zero` allows it), in milliseconds. */
export function parseDurationFlag(flag: string, zero = false): (value: string) => number {
  return (value) => {
    const text = value.trim();
    if (zero && text === '0') return 0;
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
    const ms = m ? Number(m[1] ?? 0) * 3_600_000 + Number(m[2] ?? 0) * 60_000 + Number(m[3] ?? 0) * 1000 : 0;
    if (!m || !text || ms === 0)
      throw new UsageError(
        `${flag} takes a duration such as 90s, 45m, 2h or 1h30m${zero ? ' (or 0)' : ''}, not "${value}"`,
      );
    return ms;
  };
}
