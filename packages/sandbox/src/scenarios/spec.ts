/**
 * An estate described as plain data, with ages in days before "now". The seeded generator and the YAML
 * loader both produce one; `materializeEstate` turns it into world state, CloudTrail history and a manifest.
 */
import type { IntendedCategory } from './types.js';

/** A policy document as JSON-ready data. */
export type PolicyDocument = { Version: string; Statement: unknown[] };

/** Who uses a key: a named client profile (see clients.ts) or a literal user agent string. */
export type ClientName =
  | 'aws-cli'
  | 'terraform'
  | 'boto3-laptop'
  | 'sdk-java'
  | 'boto3'
  | 'sdk-go'
  | 'sdk-js'
  | 'github-actions'
  | 'jenkins';

export type KeySpec = {
  ageDays: number;
  /** Days since last use; absent when the key was never used. */
  lastUsedDaysAgo?: number;
  status: 'Active' | 'Inactive';
  client: ClientName | string;
};

export type PasswordSpec = { lastUsedDaysAgo?: number; createdDaysAgo?: number };

export type UserSpec = {
  name: string;
  category: IntendedCategory;
  path: string;
  createdDaysAgo: number;
  upn?: string;
  givenName?: string;
  surname?: string;
  leaver?: boolean;
  operator?: boolean;
  password?: PasswordSpec;
  mfa: boolean;
  keys: KeySpec[];
  groups: string[];
  /** AWS managed policy names or ARNs, or customer managed policy names of the account. */
  policies: string[];
  inlinePolicies: Record<string, PolicyDocument>;
  permissionsBoundary?: string;
  tags: Record<string, string>;
  sshKeys: number;
  signingCertificates: number;
  codeCommitCredential: boolean;
  /** Where the user's calls and sign-ins come from. */
  sourceIps: string[];
};

export type GroupSpec = {
  name: string;
  path: string;
  policies: string[];
  inlinePolicies: Record<string, PolicyDocument>;
};

export type PolicySpec = {
  name: string;
  path: string;
  description: string;
  /** Every version, oldest first. */
  versions: PolicyDocument[];
  /** 1-based index of the default version (the newest unless rolled back). */
  defaultVersion: number;
};

export type AccountSpec = {
  id: string;
  name: string;
  email: string;
  alias?: string;
  /** OU path from the root (`Workloads/Prod`), or '' for the root. */
  ou: string;
  management: boolean;
  rootMfa: boolean;
  rootAccessKeys: boolean;
  policies: PolicySpec[];
  groups: GroupSpec[];
  users: UserSpec[];
};

export type EstateSpec = {
  domain: string;
  /** OU paths to create (parents before children) besides those the accounts name. */
  organizationalUnits: string[];
  /** Every account; exactly one is the management account. */
  accounts: AccountSpec[];
  /** Unassigned virtual MFA devices left behind by abandoned set-ups, per account id. */
  abandonedMfaDevices?: Record<string, string[]>;
};

/** A user with nothing but a name and category; builders fill the rest. */
export function blankUser(name: string, category: IntendedCategory, createdDaysAgo: number): UserSpec {
  return {
    name,
    category,
    path: '/',
    createdDaysAgo,
    mfa: false,
    keys: [],
    groups: [],
    policies: [],
    inlinePolicies: {},
    tags: {},
    sshKeys: 0,
    signingCertificates: 0,
    codeCommitCredential: false,
    sourceIps: [],
  };
}
