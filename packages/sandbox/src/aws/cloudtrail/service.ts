/**
 * CloudTrail over JSON 1.1 (signing name cloudtrail). The SDK sends `X-Amz-Target: CloudTrail_20131101.<Op>`;
 * the CLI sends the long prefix `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`, which the dispatcher
 * resolves by its last dotted segment.
 */
import type { JsonService } from '../context.js';
import { lookupEvents } from './lookup-events.js';

export const cloudTrailService: JsonService = {
  service: 'cloudtrail',
  targetPrefix: 'CloudTrail_20131101',
  eventSource: 'cloudtrail.amazonaws.com',
  handlers: { LookupEvents: lookupEvents },
};
