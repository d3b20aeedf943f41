/**
 * Where the organization's IAM Identity Center instance lives. It is in one region, which need not be the
 * profile's: `--sso-region` names it; otherwise the profile's SSO region and the command's region are tried, then
 * every region of the partition is searched with ListInstances (regions that are not enabled answer with an
 * error and are skipped), and the user is told which flag skips the search next time.
 */
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { CloudError } from '../errors.js';

/**
 * The regions where IAM Identity Center can be enabled, per partition (AWS documentation, "IAM Identity Center
 * Region availability": https://docs.aws.amazon.com/singlesignon/latest/userguide/regions.html). Opt-in regions
 * that the account has not enabled reject the call, which the search treats as "not here".
 */
const REGIONS: Record<string, string[]> = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'ca-west-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-7',
    'ap-south-1',
    'ap-south-2',
    'ap-east-1',
    'af-south-1',
    'me-south-1',
    'me-central-1',
    'il-central-1',
    'sa-east-1',
    'mx-central-1',
  ],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
};

/** The partition of a region name (`cn-north-1` → aws-cn, `us-gov-west-1` → aws-us-gov, else aws). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Answers whether a region holds an Identity Center instance the caller can see; rejects when it cannot tell. */
export type InstanceProbe = (region: string) => Promise<boolean>;

/** What the search is told: the flag, the profile's hints, and where to write its one note. */
export type LocateInput = {
  ssoRegion?: string;
  candidates: (string | undefined)[];
  probe: InstanceProbe;
  note?: (line: string) => void;
  concurrency?: number;
};

/** The Identity Center region: the flag as given, else the first candidate or searched region with an instance. */
export async function locateIdentityCenterRegion(input: LocateInput): Promise<string> {
  if (input.ssoRegion) return input.ssoRegion;
  const candidates = [...new Set(input.candidates.filter((r): r is string => Boolean(r)))];
  for (const region of candidates) if (await input.probe(region).catch(notHere)) return region;
  const partition = partitionOfRegion(candidates[0] ?? 'us-east-1');
  const rest = (REGIONS[partition] ?? []).filter((r) => !candidates.includes(r));
  const found = await searchRegions(rest, input.probe, input.concurrency ?? 8);
  const tried = [...candidates, ...rest];
  if (found.length === 0)
    throw new CloudError(
      'sso',
      'IdentityCenterNotFound',
      `no IAM Identity Center instance visible in any of the ${tried.length} regions searched (${tried.join(', ')})`,
      undefined,
      'enable IAM Identity Center in the management account (or use the delegated administrator account), ' +
        'or pass --sso-region with the region shown in the Identity Center console',
    );
  const region = found[0] as string;
  input.note?.(
    `IAM Identity Center found in ${region}${candidates.length ? ` (not in ${candidates.join(', ')})` : ''}; ` +
      `pass --sso-region ${region} to skip this search`,
  );
  return region;
}

/**
 * A region that answers with an AWS error (not enabled, not the instance's region, access denied there) or not at
 * all is "not here"; a credential failure is not a property of the region and stops the search.
 */
function notHere(error: unknown): false {
  const e = error as { $metadata?: unknown; code?: string; name?: string };
  if (e?.$metadata || ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET'].includes(e?.code ?? '')) return false;
  if (e?.name === 'TimeoutError') return false;
  throw error;
}

async function searchRegions(regions: string[], probe: InstanceProbe, concurrency: number): Promise<string[]> {
  const found: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < regions.length) {
      const region = regions[next++] as string;
      if (await probe(region).catch(notHere)) found.push(region);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, regions.length) }, worker));
  return regions.filter((r) => found.includes(r));
}

/** A probe that calls ListInstances in the region with `config` (a client per region, closed after the call). */
export function listInstancesProbe(config: (region: string) => ConstructorParameters<typeof SSOAdminClient>[0]) {
  return async (region: string): Promise<boolean> => {
    const client = new SSOAdminClient({ ...config(region), maxAttempts: 2 });
    try {
      const out = await client.send(new ListInstancesCommand({ MaxResults: 1 }));
      return (out.Instances?.length ?? 0) > 0;
    } finally {
      client.destroy();
    }
  };
}
