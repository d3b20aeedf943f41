/** Shared setup for plan tests: the full action catalog and a compiler over it, loaded once per process. */

import { awsManagedPolicy } from '@iam2sso/managed-policies';
import { loadActionCatalog } from '../../src/catalog/action-catalog.js';
import { awsManagedDocuments } from '../../src/catalog/managed-policies.js';
import { type DirectoryLookup, resolveIdentities } from '../../src/core/identity-map.js';
import type { AuditSnapshot, Classification } from '../../src/core/model.js';
import { type PlanOutcome, planMigration } from '../../src/core/plan.js';
import { defaultPlanSettings, type PlanSettings } from '../../src/core/plan-settings.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { createPolicyCompiler, type PolicyCompiler } from '../../src/core/policy/compile.js';
import { createExpander } from '../../src/core/policy/expand.js';

/** A compiler over the full catalog. */
export async function fullCompiler(): Promise<PolicyCompiler> {
  return createPolicyCompiler(createExpander(await loadActionCatalog()));
}

/** The real document of an AWS managed policy, by name. */
export function awsDoc(name: string): string {
  const p = awsManagedPolicy(name);
  if (!p) throw new Error(`no AWS managed policy ${name}`);
  return p.document;
}

/** Plans a built snapshot with default settings (overridable) and no directory. */
export async function planOf(
  built: { snapshot: AuditSnapshot; classifications: Classification[] },
  options: {
    settings?: PlanSettings;
    previous?: MigrationPlan | null;
    compiler?: PolicyCompiler;
    /** An Entra directory to map users through (turns on directoryLookup). */
    directory?: DirectoryLookup;
  } = {},
): Promise<PlanOutcome> {
  const settings = options.settings ?? defaultPlanSettings();
  const users = built.snapshot.accounts.flatMap((a) => a.users);
  const identity = { ...settings.identity, directoryLookup: settings.identity.directoryLookup || !!options.directory };
  const identities = await resolveIdentities(users, { settings: identity, mapping: [] }, options.directory ?? null);
  return planMigration({
    snapshot: built.snapshot,
    classifications: built.classifications,
    settings,
    compiler: options.compiler ?? (await fullCompiler()),
    managedDocuments: awsManagedDocuments,
    identities,
    previous: options.previous ?? null,
    createdAt: '2024-06-02T00:00:00Z',
  });
}

/** The seed guide's example inline policy (S3 bucket access plus EC2 start/stop). */
export const SEED_INLINE = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
      Resource: ['arn:aws:s3:::my-app-bucket', 'arn:aws:s3:::my-app-bucket/*'],
    },
    { Effect: 'Allow', Action: ['ec2:Describe*', 'ec2:StartInstances', 'ec2:StopInstances'], Resource: '*' },
  ],
};
