/**
 * CloudTrail files on disk: as delivered to S3 (`AWSLogs/.../CloudTrail/<region>/YYYY/MM/DD/*.json.gz`, or a
 * copy made with `aws s3 sync`) and the exports people make (a JSON array of records, or NDJSON with one record
 * per line), gzipped or not. Each file's shape is read from its first bytes; a file that cannot be read is named
 * with the reason and skipped.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';

/** How a file holds its records. */
export type TrailFileShape = 'records' | 'array' | 'ndjson';

/** A file found, with its shape; or the reason it cannot be read. */
export type TrailFile = {
  path: string;
  bytes: number /** Uncompressed size (gzip's ISIZE trailer, mod 4 GiB). */;
  rawBytes: number;
} & ({ shape: TrailFileShape } | { problem: string });

const NAME = /\.(json|jsonl|ndjson)(\.gz)?$/i;
/** CloudTrail's own day partition in a delivered key: .../CloudTrail/<region>/YYYY/MM/DD/ */
const DAY_IN_PATH = /\/CloudTrail\/[a-z0-9-]+\/(\d{4})\/(\d{2})\/(\d{2})\//;

/** The uncompressed size of a gzip file from its trailer, or the file size when not gzipped. */
function rawSize(path: string, bytes: number, gz: boolean): number {
  if (!gz || bytes < 18) return bytes;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    readSync(fd, buf, 0, 4, bytes - 4);
    return buf.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Reads the first bytes of a file (gunzipped when gzipped) and says how it holds records. */
export function sniffTrailFile(path: string): TrailFileShape | { problem: string } {
  let bytes = head(path);
  if (bytes.length === 0) return { problem: 'empty file' };
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (e) {
      return { problem: `corrupt gzip (${(e as Error).message})` };
    }
  }
  const text = bytes.toString('utf8', 0, Math.min(bytes.length, 4096)).trimStart();
  if (text.startsWith('[')) return 'array';
  if (/^\{\s*"Records"\s*:/.test(text)) return 'records';
  if (text.startsWith('{')) return 'ndjson';
  return { problem: 'not JSON (expected a CloudTrail log file, a JSON array or NDJSON)' };
}

/**
 * Every CloudTrail file under `dir`. Delivered files whose day partition is before `sinceDay` (YYYY/MM/DD) are
 * left unread; exports without a partition in their path are always read.
 */
export function findTrailFiles(dir: string, sinceDay?: string): TrailFile[] {
  const out: TrailFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && NAME.test(entry.name)) {
        const day = DAY_IN_PATH.exec(full.replace(/\\/g, '/'));
        if (sinceDay && day && `${day[1]}/${day[2]}/${day[3]}` < sinceDay) continue;
        const sniffed = sniffTrailFile(full);
        const bytes = statSync(full).size;
        const rawBytes = rawSize(full, bytes, /\.gz$/i.test(full));
        const file = { path: full, bytes, rawBytes };
        out.push(typeof sniffed === 'string' ? { ...file, shape: sniffed } : { ...file, ...sniffed });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
