/**
 * The organization trail of the sandbox: every account's CloudTrail events delivered as gzipped log files
 * (`{"Records": [...]}`) to one S3 bucket, with CloudTrail's key layout
 * `AWSLogs/<org id>/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<id>.json.gz`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html). Events are
 * gathered in 5-minute windows of virtual time and a window is delivered 5 minutes after it closes; delivery
 * happens when the bucket is read. Delivered objects never change.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { World } from '../../world/world.js';

/** One stored object. */
export type S3Object = { key: string; body: Buffer; lastModified: Date; etag: string };

/** A bucket: objects by key, and the keys in order (ListObjectsV2 lists in UTF-8 binary order). */
export type Bucket = { name: string; owner: string; objects: Map<string, S3Object>; sorted: string[] | null };

type TrailDelivery = { bucket: Bucket; orgId: string; deliveredUntil: Map<string, number> };

const WINDOW_MS = 5 * 60_000;
const DELAY_MS = 5 * 60_000;
const trails = new WeakMap<World, TrailDelivery>();

/** The bucket name of the sandbox's organization trail. */
export function orgTrailBucketName(world: World): string {
  return `aws-cloudtrail-logs-${world.organization?.managementAccountId ?? 'sandbox'}-org`;
}

function delivery(world: World): TrailDelivery {
  let d = trails.get(world);
  if (!d) {
    const owner = world.organization?.managementAccountId ?? [...world.accounts.keys()][0];
    d = {
      bucket: { name: orgTrailBucketName(world), owner, objects: new Map(), sorted: null },
      orgId: world.organization?.id ?? owner,
      deliveredUntil: new Map(),
    };
    trails.set(world, d);
  }
  return d;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
}

/** Puts an object in a bucket (the org trail's, or one a test adds a bad file to). */
export function putObject(bucket: Bucket, key: string, body: Buffer, at: Date): void {
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  bucket.objects.set(key, { key, body, lastModified: at, etag });
  bucket.sorted = null;
}

/** Keys in order. */
export function sortedKeys(bucket: Bucket): string[] {
  if (!bucket.sorted) bucket.sorted = [...bucket.objects.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return bucket.sorted;
}

/** Delivers every closed window whose delay has passed, then returns the bucket (or undefined for another name). */
export function orgTrailBucket(world: World, name?: string): Bucket | undefined {
  const d = delivery(world);
  if (name !== undefined && name !== d.bucket.name) return undefined;
  const cutoff = Math.floor((world.clock.nowMs() - DELAY_MS) / WINDOW_MS) * WINDOW_MS;
  for (const account of world.accounts.values()) {
    const from = d.deliveredUntil.get(account.id) ?? Number.NEGATIVE_INFINITY;
    if (from >= cutoff) continue;
    const files = new Map<string, unknown[]>();
    for (const e of account.trail.events) {
      const t = e.time.getTime();
      if (t < from) continue;
      if (t >= cutoff) break;
      const window = Math.floor(t / WINDOW_MS) * WINDOW_MS;
      const key = `${e.record.awsRegion}|${window}`;
      const list = files.get(key);
      if (list) list.push(e.record);
      else files.set(key, [e.record]);
    }
    for (const [group, records] of files) {
      const [region, window] = group.split('|');
      const at = Number(window) + WINDOW_MS;
      const day = new Date(at).toISOString().slice(0, 10).replace(/-/g, '/');
      const id = createHash('sha256').update(`${account.id}${group}`).digest('hex').slice(0, 16);
      const key = `AWSLogs/${d.orgId}/${account.id}/CloudTrail/${region}/${day}/${account.id}_CloudTrail_${region}_${stamp(at)}_${id}.json.gz`;
      putObject(d.bucket, key, gzipSync(JSON.stringify({ Records: records })), new Date(at + DELAY_MS));
    }
    d.deliveredUntil.set(account.id, cutoff);
  }
  return d.bucket;
}
