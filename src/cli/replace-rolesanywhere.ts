/**
 * `replace` for a service account the plan moves to IAM Roles Anywhere: read the operator's CA bundle, read the
 * user's trust anchor and profile (a foreign one of the name is refused), and plan the run in two steps: the trust
 * anchor first, then (from a fresh read of its ARN) the role that trusts it, its policy and the profile naming it.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { toCloudError } from '../aws/errors.js';
import type { PlannedServiceAccount } from '../core/plan-types.js';
import type { Change } from '../core/reconcile/changes.js';
import { planReplacement, type Replacement, type ReplaceRequest } from '../core/replace.js';
import { planRolesAnywhere, rolesAnywhereName, trustsAnchor } from '../core/replace-rolesanywhere.js';
import { UsageError } from '../errors.js';
import type { IamChangePorts } from '../iam-changes/ports.js';
import type { StateDb } from '../store/db.js';
import { listOwned } from '../store/ownership-repo.js';

/** The PEM certificates of a CA bundle file, each parsed; a missing file or a bad certificate is a usage error. */
export function readCaBundle(file: string): string {
  if (!existsSync(file)) throw new UsageError(`--ca-bundle ${file}: no such file (give your CA's certificate, PEM)`);
  const text = readFileSync(file, 'utf8');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0)
    throw new UsageError(`--ca-bundle ${file}: no PEM certificate in it (-----BEGIN CERTIFICATE----- ...)`);
  blocks.forEach((pem, i) => {
    const line = text.slice(0, text.indexOf(pem)).split('\n').length;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      throw new UsageError(
        `--ca-bundle ${file}: line ${line}: certificate ${i + 1} is not valid: ${(e as Error).message}`,
      );
    }
    if (!cert.ca)
      throw new UsageError(
        `--ca-bundle ${file}: line ${line}: certificate ${i + 1} (${cert.subject.replace(/\n/g, ', ')}) is not a CA certificate: give the CA that issues your workloads' certificates`,
      );
  });
  return `${blocks.join('\n')}\n`;
}

/** The user's trust anchor and profile as they are, with the tool's own ids where it recorded them. */
async function readExisting(ports: IamChangePorts, db: StateDb, s: PlannedServiceAccount, region: string) {
  const name = rolesAnywhereName(s.userName);
  const key = `${s.accountId}/${region}/${name}`;
  const ra = await ports.rolesAnywhere(s.accountId, region);
  const [anchors, profiles] = await Promise.all([ra.listTrustAnchors(), ra.listProfiles()]).catch((e) => {
    throw toCloudError(e, 'rolesanywhere', s.accountId);
  });
  const pick = <T extends { arn: string; name: string }>(items: T[], kind: 'trust-anchor' | 'profile'): T | null => {
    const named = items.filter((i) => i.name === name);
    if (named.length === 0) return null;
    const mine = listOwned(db, `rolesanywhere-${kind}`).find((o) => o.key === key);
    const recorded = named.find((i) => i.arn === mine?.objectId);
    if (recorded) return recorded;
    if (mine && !mine.objectId && named.length === 1) return named[0];
    throw new UsageError(
      `IAM Roles Anywhere ${kind.replace('-', ' ')} ${name} exists in ${s.accountId} ${region} and was not made by iam2sso: rename or remove it`,
    );
  };
  return { anchor: pick(anchors, 'trust-anchor'), profile: pick(profiles, 'profile') };
}

/** A Roles Anywhere replacement: what to show, the first batch, what follows it, and the ARNs once made. */
export type RolesAnywhereReplacement = {
  replacement: Replacement;
  first: Change[];
  followUp?: { preview: Change[]; plan(): Promise<Change[]> };
  arns(): Promise<{ trustAnchorArn: string | null; profileArn: string | null }>;
};

/** Plans the replacement; `role` is the replacement role when it exists (the tool's). */
export async function rolesAnywhereReplacement(input: {
  ports: IamChangePorts;
  db: StateDb;
  request: ReplaceRequest;
  caBundle?: string;
  apply: boolean;
  role: { arn: string; trustPolicy: string } | null;
}): Promise<RolesAnywhereReplacement> {
  const { ports, db, request } = input;
  const s = request.account;
  const region = request.region;
  const plan = async (certificateBundle: string | null) => {
    const existing = await readExisting(ports, db, s, region);
    const anchorArn = existing.anchor?.arn ?? null;
    // A role of the tool's that trusts another (or a deleted) anchor is not changed behind its owner's back.
    if (input.role && !(anchorArn && trustsAnchor(input.role.trustPolicy, anchorArn)))
      throw new UsageError(
        `role ${input.role.arn} (made by iam2sso) does not trust ${anchorArn ? `trust anchor ${anchorArn}` : 'an existing trust anchor'}: roll it back (\`iam2sso replace ${s.userName} --rollback\`) and run again`,
      );
    const placeholder = `arn:${request.partition}:rolesanywhere:${region}:${s.accountId}:trust-anchor/(made by this run)`;
    const replacement = planReplacement({ ...request, trustAnchorArn: anchorArn ?? placeholder });
    const roleArn = replacement.roleArn ?? '';
    const ra = planRolesAnywhere({
      accountId: s.accountId,
      region,
      userName: s.userName,
      roleArn,
      trustAnchorArn: anchorArn,
      profile: existing.profile,
      certificateBundle,
    });
    return { anchorArn, replacement, ra };
  };
  const bundle = input.caBundle ? readCaBundle(input.caBundle) : null;
  const { anchorArn, replacement, ra } = await plan(bundle);
  // Without --apply the replacement is only shown: a missing CA bundle is said, not an error.
  if (input.apply) replacement.problems.push(...ra.problems);
  else replacement.notes.push(...ra.problems);
  const arns = async () => {
    const now = await readExisting(ports, db, s, region);
    return { trustAnchorArn: now.anchor?.arn ?? null, profileArn: now.profile?.arn ?? null };
  };
  if (anchorArn) {
    replacement.changes = [...replacement.changes, ...ra.changes];
    return { replacement, first: replacement.changes, arns };
  }
  const first: Replacement['changes'] = ra.changes.filter((c) => c.kind === 'rolesanywhere.trust-anchor.create');
  const preview: Replacement['changes'] = [
    ...replacement.changes,
    ...ra.changes.filter((c) => c.kind !== 'rolesanywhere.trust-anchor.create'),
  ];
  replacement.changes = [...first, ...preview];
  const followUp = {
    preview,
    async plan(): Promise<Change[]> {
      const next = await plan(null);
      if (!next.anchorArn) throw new Error('the trust anchor made by this run is not listed by Roles Anywhere');
      return [...next.replacement.changes, ...next.ra.changes];
    },
  };
  return { replacement, first, followUp, arns };
}
