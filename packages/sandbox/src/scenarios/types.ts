/** What a scenario is made from, and what it tells tests about the estate it built. */
import type { DirectSamlTruth } from './direct-saml.js';
import type { ExistingIdentityCenterTruth } from './existing-iic.js';
/**
 * The finding kinds a scenario user is built to produce (the manifest's promise, checked by the product's tests
 * against what its audit finds). The sandbox keeps its own list: it does not import the product.
 */
export type FindingKind =
  | 'console-without-mfa'
  | 'admin-attached-directly'
  | 'key-older-than-90-days'
  | 'key-unused-90-days'
  | 'key-never-used'
  | 'two-active-keys'
  | 'password-unused-90-days'
  | 'console-and-keys'
  | 'root-access-keys'
  | 'root-without-mfa';

export type ScenarioName = 'small' | 'medium' | 'large';

export type ScenarioOptions = {
  /** A built-in size, or the path of a YAML file that describes an estate. */
  scenario: ScenarioName | string;
  seed: number;
  accounts?: number;
  usersPerAccount?: number;
  /**
   * The instant the estate is generated at (the virtual clock starts there). Defaults to the real time;
   * tests pass a fixed instant to compare two builds byte for byte.
   */
  now?: Date;
  /** How long after a call its CloudTrail event shows in LookupEvents (default a few virtual minutes). */
  cloudTrailDeliveryDelayMs?: number;
};

export type IntendedCategory = 'human-console' | 'human-programmatic' | 'service' | 'break-glass' | 'stale';

/** One IAM user as the scenario meant it, for tests to compare the product's conclusions against. */
export type ManifestUser = {
  accountId: string;
  userName: string;
  category: IntendedCategory;
  /**
   * Finding kinds the user was built to produce, exactly (see TRAIT_RULES in traits.ts), sorted.
   * Every age in a generated estate keeps well away from the 90-day thresholds.
   */
  traits: FindingKind[];
  /** The person's Entra UPN, when the user belongs to a person (humans, leavers, break-glass owner). */
  upn?: string;
  /** The person's given name and surname, with the UPN. */
  givenName?: string;
  surname?: string;
  /** The person's Entra sign-in password and authenticator (TOTP) seed, when they have an Entra account. */
  password?: string;
  totpSeed?: string;
  /** True for people who have left the company: their IAM users linger, their Entra account should not be active. */
  leaver?: boolean;
  /** True for the `sandbox-operator` user whose key the sandbox hands out (an admin of the management account). */
  operator?: boolean;
  /**
   * What `iam2sso track --since 30d` should find over the 30 days before the scenario's instant: the person's status when
   * the user belongs to one (the same on each of their IAM users), else the user's own (legacy-only or silent).
   * Absent for the operator, whose key the tests use live.
   */
  track?: TrackExpectation;
};

/**
 * A track status the scenario was built to show. For sso-only, `sinceDaysAgo`: the first SSO use was on the UTC
 * day that many days before the scenario's instant (so the manifest does not depend on when it is built).
 */
export type TrackExpectation = { status: 'legacy-only' | 'dual' | 'sso-only' | 'silent'; sinceDaysAgo?: number };

export type ManifestAccount = {
  id: string;
  name: string;
  email: string;
  alias?: string;
  /** Path of the organizational unit from the root, e.g. `Workloads/Prod`; empty for the root itself. */
  ou: string;
  /** Root-user findings the account was built to produce (`root-without-mfa`, `root-access-keys`). */
  rootTraits: FindingKind[];
};

export type Manifest = {
  seed: number;
  scenario: string;
  /** Mail domain of the company's people (their UPNs). */
  domain: string;
  managementAccountId: string;
  accounts: ManifestAccount[];
  users: ManifestUser[];
  /** The `existing-iic` starting point: the Identity Center directory in use, and who would lose sign-in. */
  existingIdentityCenter?: ExistingIdentityCenterTruth;
  /** The `direct-saml` starting point: each member account's SAML provider, roles and provisioning user. */
  directSaml?: DirectSamlTruth;
};

/** The credentials the operator (an admin of the management account) uses against the sandbox. */
export type OperatorCredentials = { accessKeyId: string; secretAccessKey: string };
