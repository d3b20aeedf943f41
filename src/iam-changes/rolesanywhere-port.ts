/**
 * The narrow port `replace` reaches IAM Roles Anywhere through, one account and region at a time: trust anchors and
 * profiles, listed, made and deleted. The REST client in src/aws/rolesanywhere.ts and test fakes implement it.
 */

/** A trust anchor as `replace` needs it. */
export type TrustAnchorFacts = { id: string; arn: string; name: string; enabled: boolean; sourceType: string };

/** A profile as `replace` needs it. */
export type ProfileFacts = {
  id: string;
  arn: string;
  name: string;
  enabled: boolean;
  roleArns: string[];
  durationSeconds: number | null;
};

/** Roles Anywhere in one account and region. Deletes of what is already gone succeed. */
export type RolesAnywherePort = {
  listTrustAnchors(): Promise<TrustAnchorFacts[]>;
  /** Makes an enabled trust anchor from a PEM CA bundle; returns it (its ARN names it from then on). */
  createTrustAnchor(input: {
    name: string;
    certificateBundle: string;
    tags: Record<string, string>;
  }): Promise<TrustAnchorFacts>;
  deleteTrustAnchor(id: string): Promise<void>;
  listProfiles(): Promise<ProfileFacts[]>;
  createProfile(input: {
    name: string;
    roleArns: string[];
    durationSeconds: number;
    tags: Record<string, string>;
  }): Promise<ProfileFacts>;
  deleteProfile(id: string): Promise<void>;
};
