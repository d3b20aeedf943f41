/** What a scenario is made from, and what it tells tests about the estate it built. */

export type ScenarioName = 'small' | 'medium' | 'large';

export type ScenarioOptions = {
  /** A built-in size, or the path of a YAML file that describes an estate. */
  scenario: ScenarioName | string;
  seed: number;
  accounts?: number;
  usersPerAccount?: number;
};

export type IntendedCategory = 'human-console' | 'human-programmatic' | 'service' | 'break-glass' | 'stale';

/** One IAM user as the scenario meant it, for tests to compare the product's conclusions against. */
export type ManifestUser = {
  accountId: string;
  userName: string;
  category: IntendedCategory;
  /** Finding ids the user was built to produce (e.g. 'console-without-mfa'). */
  traits: string[];
  /** The person's Entra UPN, when the scenario gave them one. */
  upn?: string;
};

export type Manifest = {
  seed: number;
  scenario: string;
  managementAccountId: string;
  accounts: { id: string; name: string; email: string; alias?: string }[];
  users: ManifestUser[];
};

/** The credentials the operator (an admin of the management account) uses against the sandbox. */
export type OperatorCredentials = { accessKeyId: string; secretAccessKey: string };
