/** Builds a sandbox world from scenario options. */

import { makeAwsId } from '../rng.js';
import { newIamUser } from '../world/iam-state.js';
import { World } from '../world/world.js';
import type { Manifest, OperatorCredentials, ScenarioOptions } from './types.js';

export type BuiltScenario = { world: World; manifest: Manifest; operator: OperatorCredentials };

/** A world with the organization, accounts, people and history the options describe. */
export function buildScenario(options: ScenarioOptions): BuiltScenario {
  const world = new World({ seed: options.seed });
  const mgmt = world.addAccount('111111111111', 'management', 'aws-management@example.com');
  const admin = newIamUser('sandbox-operator', makeAwsId(world.rng, 'AIDA'), world.clock.now());
  admin.attachedPolicies.push('arn:aws:iam::aws:policy/AdministratorAccess');
  const key = world.issueAccessKey(mgmt.id, admin.userName, world.clock.now());
  admin.accessKeys.push(key);
  mgmt.iam.users.set(admin.userName, admin);
  return {
    world,
    manifest: {
      seed: options.seed,
      scenario: options.scenario,
      managementAccountId: mgmt.id,
      accounts: [{ id: mgmt.id, name: mgmt.name, email: mgmt.email }],
      users: [],
    },
    operator: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
  };
}
