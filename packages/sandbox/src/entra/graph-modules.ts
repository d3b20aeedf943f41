/**
 * The single list of Graph handler modules the router serves, in match order. Modules that serve other parts
 * of Graph (synchronization) plug in here.
 */
import { applicationHandlers } from './graph/applications.js';
import { conditionalAccessHandlers } from './graph/conditional-access.js';
import { deletedItemHandlers } from './graph/deleted-items.js';
import { deltaHandlers } from './graph/delta.js';
import { groupHandlers } from './graph/groups.js';
import { pimApprovalHandlers } from './graph/pim-approvals.js';
import { pimGroupHandlers } from './graph/pim-groups.js';
import { pimPolicyHandlers } from './graph/pim-policies.js';
import { servicePrincipalHandlers } from './graph/service-principals.js';
import { templateHandlers } from './graph/templates.js';
import { userHandlers } from './graph/users.js';
import type { GraphHandler } from './graph-types.js';
import { synchronizationHandlers } from './synchronization/handlers.js';

/** Every Graph handler, delta before the `/{id}` patterns it would otherwise be taken for. */
export const graphHandlers: GraphHandler[] = [
  ...deltaHandlers,
  ...userHandlers,
  ...groupHandlers,
  ...applicationHandlers,
  ...servicePrincipalHandlers,
  ...deletedItemHandlers,
  ...templateHandlers,
  ...synchronizationHandlers,
  ...conditionalAccessHandlers,
  ...pimGroupHandlers,
  ...pimApprovalHandlers,
  ...pimPolicyHandlers,
];
