/**
 * The sandbox's whole world: the AWS organization with its accounts, Identity Center, CloudTrail,
 * the Entra tenant, a virtual clock and a seeded random source. Protocol handlers read and change it;
 * nothing in it does I/O.
 */
import { randomUUID } from 'node:crypto';
import { VirtualClock } from '../clock.js';
import { makeAwsId, makeSecret, Rng } from '../rng.js';
import { createTrailState, type TrailState } from './cloudtrail-state.js';
import type { EntraState } from './entra-state.js';
import { FaultRules } from './fault-rules.js';
import { type AccessKey, createIamAccountState, type IamAccountState } from './iam-state.js';
import type { OrganizationState } from './organization-state.js';
import type { SsoState } from './sso-state.js';

export type AccountState = {
  id: string;
  name: string;
  email: string;
  iam: IamAccountState;
  trail: TrailState;
};

/** Who signed a request: an IAM user's key, the root user's key, or temporary role credentials. */
export type Principal =
  | { kind: 'user'; accountId: string; userName: string }
  | { kind: 'root'; accountId: string }
  | {
      kind: 'role-session';
      accountId: string;
      roleName: string;
      rolePath: string;
      roleId: string;
      sessionName: string;
      sessionToken: string;
      expiration: Date;
      /** Who assumed the role (for CloudTrail's sessionContext.sessionIssuer and source identity). */
      sourceArn: string;
      /** Session policies passed to AssumeRole (inline `Policy` and the documents of `PolicyArns`). */
      sessionPolicies?: string[];
    };

/**
 * Temporary credentials. Role sessions carry their token and expiry in the principal; GetSessionToken
 * sessions act as the IAM user (or root) itself and carry them here.
 */
export type SessionCredential = {
  accessKeyId: string;
  secretAccessKey: string;
  principal: Principal;
  sessionToken?: string;
  expiration?: Date;
};

export type FaultConfig = {
  latencyMs: number;
  throttleRate: number;
  errorRate: number;
  /** CloudTrail LookupEvents calls allowed per second per account; unset: AWS's 2; 0: not limited. */
  lookupEventsPerSecond?: number;
};

export type WorldOptions = { seed: number; region?: string; start?: Date };

export class World {
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly region: string;
  readonly accounts = new Map<string, AccountState>();
  /** Long-term key id to the account and user (or root) it belongs to. Status is read from the key itself. */
  readonly keyOwners = new Map<string, { accountId: string; userName: string | null }>();
  /** Temporary credentials issued by STS, by access key id. */
  readonly sessions = new Map<string, SessionCredential>();
  faults: FaultConfig = { latencyMs: 0, throttleRate: 0, errorRate: 0 };
  /** How long after a call its CloudTrail event shows in LookupEvents (unset: the lookup's default). */
  cloudTrailDeliveryDelayMs?: number;
  /** Scoped fault rules (`/_sandbox/faults/rules`, `sandbox up --fault`). */
  readonly faultRules = new FaultRules();
  /**
   * Bumped by every change that can alter what a caller may do (IAM, Organizations, Identity Center writes):
   * cached policy sets older than this are resolved again. Code that edits the world directly bumps it too.
   */
  authzGeneration = 0;
  organization?: OrganizationState;
  sso?: SsoState;
  entra?: EntraState;

  constructor(options: WorldOptions) {
    this.rng = new Rng(options.seed);
    this.region = options.region ?? 'us-east-1';
    this.clock = new VirtualClock(options.start);
  }

  /** Adds an account with empty IAM and CloudTrail state. */
  addAccount(id: string, name: string, email: string): AccountState {
    const account: AccountState = {
      id,
      name,
      email,
      iam: createIamAccountState(this.clock.now()),
      trail: createTrailState(),
    };
    this.accounts.set(id, account);
    return account;
  }

  account(id: string): AccountState {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`sandbox: no account ${id}`);
    return account;
  }

  /** Makes a new access key for a user (or the root user when userName is null) and indexes it. */
  issueAccessKey(accountId: string, userName: string | null, createDate: Date, prefix = 'AKIA'): AccessKey {
    const key: AccessKey = {
      accessKeyId: makeAwsId(this.rng, prefix),
      secretAccessKey: makeSecret(this.rng),
      status: 'Active',
      createDate,
    };
    this.keyOwners.set(key.accessKeyId, { accountId, userName });
    return key;
  }

  /** Finds a long-term key by id, with its owner; undefined once the key is deleted. */
  findAccessKey(accessKeyId: string): { key: AccessKey; accountId: string; userName: string | null } | undefined {
    const owner = this.keyOwners.get(accessKeyId);
    if (!owner) return undefined;
    const iam = this.accounts.get(owner.accountId)?.iam;
    if (!iam) return undefined;
    const keys = owner.userName === null ? iam.root.accessKeys : iam.users.get(owner.userName)?.accessKeys;
    const key = keys?.find((k) => k.accessKeyId === accessKeyId);
    return key ? { key, ...owner } : undefined;
  }

  /** A request id in AWS's UUID shape (not drawn from the scenario's seeded source). */
  nextRequestId(): string {
    return randomUUID();
  }
}
