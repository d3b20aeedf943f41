/**
 * What every SSO Admin and Identity Store call goes through first: the shared token-bucket rate limit
 * (AWS: about 20 requests per second across both APIs) and the completion of asynchronous operations that are due.
 */

import type { World } from '../../world/world.js';
import type { JsonHandler } from '../context.js';
import { AwsError } from '../errors.js';
import { settleOperations } from './operations.js';

/** Takes one token from the shared bucket; ThrottlingException when it is empty. No-op when unlimited. */
export function takeRateToken(world: World): void {
  const sso = world.sso;
  const rate = sso?.rateLimitPerSecond;
  if (!sso || rate === null || rate === undefined || rate <= 0) return;
  const now = Date.now();
  const bucket = sso.rateBucket ?? { tokens: rate, atMs: now };
  bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.atMs) / 1000) * rate);
  bucket.atMs = now;
  sso.rateBucket = bucket;
  if (bucket.tokens < 1) throw new AwsError('ThrottlingException', 'Rate exceeded', 400);
  bucket.tokens -= 1;
}

/** Wraps a service's handlers with the rate limit and the settling of due asynchronous operations. */
export function guardHandlers(handlers: Record<string, JsonHandler>): Record<string, JsonHandler> {
  const out: Record<string, JsonHandler> = {};
  for (const [action, handler] of Object.entries(handlers)) {
    out[action] = (ctx, input) => {
      takeRateToken(ctx.world);
      settleOperations(ctx.world);
      return handler(ctx, input && typeof input === 'object' ? input : {});
    };
  }
  return out;
}
