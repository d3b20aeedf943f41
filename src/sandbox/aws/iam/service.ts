/** IAM over the AWS Query protocol (version 2010-05-08): every handler of the sandbox's IAM. */
import type { QueryService } from '../context.js';
import { accountHandlers } from './handlers/account.js';
import { attachmentHandlers } from './handlers/attachments.js';
import { authorizationDetailsHandlers } from './handlers/authorization-details.js';
import { credentialHandlers } from './handlers/credentials.js';
import { groupHandlers } from './handlers/groups.js';
import { mfaHandlers } from './handlers/mfa.js';
import { policyHandlers } from './handlers/policies.js';
import { roleHandlers } from './handlers/roles.js';
import { summaryHandlers } from './handlers/summary.js';
import { userKeyHandlers } from './handlers/user-keys.js';
import { userHandlers } from './handlers/users.js';

/** The IAM service table for the AWS route. */
export const iamService: QueryService = {
  service: 'iam',
  version: '2010-05-08',
  xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
  handlers: {
    ...userHandlers,
    ...groupHandlers,
    ...roleHandlers,
    ...policyHandlers,
    ...attachmentHandlers,
    ...credentialHandlers,
    ...mfaHandlers,
    ...userKeyHandlers,
    ...accountHandlers,
    ...authorizationDetailsHandlers,
    ...summaryHandlers,
  },
};
