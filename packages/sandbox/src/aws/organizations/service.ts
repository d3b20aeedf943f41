/** AWS Organizations over JSON 1.1 (target prefix AWSOrganizationsV20161128, signing name organizations). */
import type { JsonService } from '../context.js';
import { policyHandlers } from './policies.js';
import { policyTypeHandlers } from './policy-types.js';
import { structureHandlers } from './structure.js';

export const organizationsService: JsonService = {
  service: 'organizations',
  targetPrefix: 'AWSOrganizationsV20161128',
  eventSource: 'organizations.amazonaws.com',
  handlers: { ...structureHandlers, ...policyHandlers, ...policyTypeHandlers },
};
