/** STS over the Query protocol. */
import type { QueryService } from '../context.js';
import { assumeRole } from './assume-role.js';
import { getSessionToken } from './session-token.js';

export const stsService: QueryService = {
  service: 'sts',
  version: '2011-06-15',
  xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
  handlers: {
    GetCallerIdentity: (ctx) => ({ UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn }),
    AssumeRole: assumeRole,
    GetSessionToken: getSessionToken,
  },
};
