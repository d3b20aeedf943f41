/**
 * The `--s3` source: the organization trail's bucket read directly. Only the day partitions in the window are
 * listed (ListObjectsV2 with StartAfter at the first day, keys sort by date), and only objects after each
 * account and region's cursor (the last key read) are fetched; objects stream to a temporary directory and are
 * read with DuckDB like `--dir`. Layout: <prefix>AWSLogs/[<org id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html).
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { TrackCursor } from '../store/track-repo.js';

/** A bucket and key prefix (ending in '/' or empty). */
export type S3Location = { bucket: string; prefix: string };

/** Parses `s3://bucket/prefix`. */
export function parseS3Url(url: string): S3Location | null {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) return null;
  const prefix = m[2] ?? '';
  return { bucket: m[1], prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix };
}

async function childPrefixes(
  s3: S3Client,
  bucket: string,
  prefix: string,
  counter: { calls: number },
): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    counter.calls++;
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
    );
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** The `<...>/CloudTrail/<region>/` prefixes of every account (organization trails and single-account trails). */
export async function trailPartitions(
  s3: S3Client,
  at: S3Location,
  counter: { calls: number },
): Promise<{ accountId: string; region: string; prefix: string }[]> {
  const out: { accountId: string; region: string; prefix: string }[] = [];
  const accountFolders: string[] = [];
  for (const p of await childPrefixes(s3, at.bucket, `${at.prefix}AWSLogs/`, counter)) {
    const name = p.slice(0, -1).split('/').pop() ?? '';
    if (/^o-[a-z0-9]+$/.test(name)) accountFolders.push(...(await childPrefixes(s3, at.bucket, p, counter)));
    else if (/^\d{12}$/.test(name)) accountFolders.push(p);
  }
  for (const folder of accountFolders) {
    const accountId = folder.slice(0, -1).split('/').pop() ?? '';
    if (!/^\d{12}$/.test(accountId)) continue;
    for (const r of await childPrefixes(s3, at.bucket, `${folder}CloudTrail/`, counter))
      out.push({ accountId, region: r.slice(0, -1).split('/').pop() ?? '', prefix: r });
  }
  return out;
}

/** Keys of one partition after `startAfter`, in order. */
async function listKeys(s3: S3Client, bucket: string, prefix: string, startAfter: string, counter: { calls: number }) {
  const keys: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    counter.calls++;
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        StartAfter: token ? undefined : startAfter,
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? [])
      if (o.Key && /\.json(\.gz)?$/.test(o.Key)) keys.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** What the download gave: files on disk, the cursors to store, and the calls made. */
export type S3Download = { files: number; bytes: number; calls: number; cursors: TrackCursor[] };

/**
 * Downloads the objects of the window (after each partition's cursor) into `dir`, keeping their keys as paths.
 */
export async function downloadTrail(
  s3: S3Client,
  at: S3Location,
  dir: string,
  since: Date,
  cursors: Map<string, TrackCursor>,
  onProgress: (done: number, total: number) => void,
): Promise<S3Download> {
  const counter = { calls: 0 };
  const day = since.toISOString().slice(0, 10).replace(/-/g, '/');
  const todo: { key: string; size: number }[] = [];
  const out: S3Download = { files: 0, bytes: 0, calls: 0, cursors: [] };
  for (const part of await trailPartitions(s3, at, counter)) {
    const cursor = cursors.get(`${part.accountId}|${part.region}|${at.bucket}/${at.prefix}`);
    const first = `${part.prefix}${day}`;
    const startAfter = cursor && cursor.position > first ? cursor.position : first;
    const keys = await listKeys(s3, at.bucket, part.prefix, startAfter, counter);
    todo.push(...keys);
    const last = keys.at(-1)?.key ?? cursor?.position;
    if (last)
      out.cursors.push({
        source: 's3',
        accountId: part.accountId,
        region: part.region,
        scope: `${at.bucket}/${at.prefix}`,
        position: last,
        eventIds: [],
      });
  }
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const { key, size } = todo[next++];
      const path = join(dir, key);
      mkdirSync(dirname(path), { recursive: true });
      counter.calls++;
      const object = await s3.send(new GetObjectCommand({ Bucket: at.bucket, Key: key }));
      await pipeline(object.Body as NodeJS.ReadableStream, createWriteStream(path));
      out.files++;
      out.bytes += size;
      onProgress(out.files, todo.length);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  out.calls = counter.calls;
  return out;
}
