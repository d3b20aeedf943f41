/** Every protocol front end of the sandbox, in the order they are asked to claim a request. */
import { athenaService } from './aws/athena/service.js';
import { cloudTrailService } from './aws/cloudtrail/service.js';
import { createAwsRoute } from './aws/dispatch.js';
import { eventBridgeService } from './aws/events/service.js';
import { iamService } from './aws/iam/service.js';
import { identityStoreService } from './aws/identitystore/service.js';
import { organizationsService } from './aws/organizations/service.js';
import { createRolesAnywhereRoute } from './aws/rolesanywhere/route.js';
import { createS3Route } from './aws/s3/route.js';
import { snsService } from './aws/sns/service.js';
import { ssoAdminService } from './aws/sso-admin/service.js';
import { assumeRoleWithSaml } from './aws/sts/saml.js';
import { stsService } from './aws/sts/service.js';
import { assumeRoleWithWebIdentity } from './aws/sts/web-identity.js';
import { createControlRoute } from './control.js';
import { withGraphFaults } from './entra/graph-faults.js';
import { createEntraRoute } from './entra/route.js';
import type { SandboxContext } from './sandbox-context.js';
import { createIdentityCenterControlRoute, createScimRoute } from './scim/scim-route.js';
import type { Route } from './server/http-types.js';
import { createSigninRoute } from './signin/route.js';
import { createWorkloadControlRoute } from './workload-control.js';

export function sandboxRoutes(sandbox: SandboxContext): Route[] {
  return [
    createS3Route(sandbox.world),
    createRolesAnywhereRoute(sandbox.world),
    withGraphFaults(sandbox, createEntraRoute(sandbox)),
    createIdentityCenterControlRoute(sandbox),
    createSigninRoute(sandbox),
    createWorkloadControlRoute(sandbox),
    createControlRoute(sandbox),
    createScimRoute(sandbox),
    createAwsRoute(sandbox.world, {
      query: [iamService, stsService, snsService],
      json: [
        ssoAdminService,
        identityStoreService,
        organizationsService,
        cloudTrailService,
        athenaService,
        eventBridgeService,
      ],
      anonymous: { AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity, AssumeRoleWithSAML: assumeRoleWithSaml },
    }),
  ];
}
