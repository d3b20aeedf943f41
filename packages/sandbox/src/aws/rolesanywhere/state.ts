/**
 * IAM Roles Anywhere's trust anchors and profiles, per account and region, with the validation its model declares.
 * Source: the service model the AWS CLI v2 ships (botocore/data/rolesanywhere/2018-05-10/service-2.json):
 * names `^[ a-zA-Z0-9-_]*$` of 1-255 characters; a trust anchor's `source` of type AWS_ACM_PCA (sourceData.acmPcaArn),
 * CERTIFICATE_BUNDLE or SELF_SIGNED_REPOSITORY (sourceData.x509CertificateData, PEM); a profile's roleArns (at most
 * 250) and durationSeconds 900-43200 (default 3600); ids are UUIDs; ARNs
 * `arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID` and `...:profile/ID`.
 */
import { AwsError } from '../errors.js';

/** A tag as Roles Anywhere takes it. */
export type RaTag = { key: string; value: string };

/** A trust anchor. */
export type TrustAnchor = {
  trustAnchorId: string;
  trustAnchorArn: string;
  name: string;
  enabled: boolean;
  source: { sourceType: string; sourceData: Record<string, string> };
  tags: RaTag[];
  createdAt: Date;
  updatedAt: Date;
};

/** A profile. */
export type RaProfile = {
  profileId: string;
  profileArn: string;
  name: string;
  enabled: boolean;
  roleArns: string[];
  managedPolicyArns: string[];
  durationSeconds: number;
  requireInstanceProperties: boolean;
  sessionPolicy?: string;
  createdBy: string;
  tags: RaTag[];
  createdAt: Date;
  updatedAt: Date;
};

/** The trust anchors and profiles of one account and region. */
export type RolesAnywhereState = { trustAnchors: Map<string, TrustAnchor>; profiles: Map<string, RaProfile> };

const byWorld = new WeakMap<object, Map<string, RolesAnywhereState>>();

/** The state of an account and region of a world. */
export function rolesAnywhereOf(world: object, accountId: string, region: string): RolesAnywhereState {
  let all = byWorld.get(world);
  if (!all) {
    all = new Map();
    byWorld.set(world, all);
  }
  const key = `${accountId}/${region}`;
  let state = all.get(key);
  if (!state) {
    state = { trustAnchors: new Map(), profiles: new Map() };
    all.set(key, state);
  }
  return state;
}

/** ValidationException (HTTP 400), as the service answers a request its model refuses. */
export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** A name the model accepts, or ValidationException. */
export function checkName(value: unknown): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 255 || !/^[ a-zA-Z0-9-_]*$/.test(value))
    throw validation('name must be 1-255 characters of letters, digits, spaces, hyphens and underscores');
  return value;
}

/** The source of a trust anchor, or ValidationException. */
export function checkSource(value: unknown): TrustAnchor['source'] {
  const source = value as { sourceType?: unknown; sourceData?: Record<string, unknown> } | undefined;
  const type = source?.sourceType;
  if (type !== 'AWS_ACM_PCA' && type !== 'CERTIFICATE_BUNDLE' && type !== 'SELF_SIGNED_REPOSITORY')
    throw validation('source.sourceType must be AWS_ACM_PCA, CERTIFICATE_BUNDLE or SELF_SIGNED_REPOSITORY');
  const data = source?.sourceData ?? {};
  if (type === 'AWS_ACM_PCA') {
    if (typeof data.acmPcaArn !== 'string') throw validation('source.sourceData.acmPcaArn is required');
    return { sourceType: type, sourceData: { acmPcaArn: data.acmPcaArn } };
  }
  const pem = data.x509CertificateData;
  // SourceDataX509CertificateDataString: 1-16000 characters.
  if (typeof pem !== 'string' || pem.length > 16_000 || !pem.includes('-----BEGIN CERTIFICATE-----'))
    throw validation('source.sourceData.x509CertificateData must be a PEM-encoded certificate');
  return { sourceType: type, sourceData: { x509CertificateData: pem } };
}

/** Tags, or ValidationException. */
export function checkTags(value: unknown): RaTag[] {
  if (value === undefined) return [];
  // TagList: at most 200; TagKey 1-128 and TagValue 0-256 of `[ a-zA-Z0-9_.:/=+@-]*`.
  if (!Array.isArray(value) || value.length > 200) throw validation('tags must be a list of at most 200');
  return value.map((t: { key?: unknown; value?: unknown }) => {
    if (typeof t.key !== 'string' || typeof t.value !== 'string') throw validation('each tag needs a key and a value');
    const ok = /^[ a-zA-Z0-9_.:/=+@-]*$/;
    if (t.key.length < 1 || t.key.length > 128 || t.value.length > 256 || !ok.test(t.key) || !ok.test(t.value))
      throw validation('a tag key is 1-128 and a value 0-256 characters of letters, digits, spaces and _.:/=+@-');
    return { key: t.key, value: t.value };
  });
}
