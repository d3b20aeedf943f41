/**
 * The Identity Center (SSO Admin) adapter behind apply's port: SDK v3 with the product's bounded retries
 * (retry.ts), every attempt paced by a shared client-side rate limiter, and idempotent writes. The port is
 * assembled here from its parts: permission set and assignment reads, asynchronous request reads, writes.
 */
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { IdentityCenterPort } from '../apply/ports.js';
import { type AwsSettings, countRequests, identityCenterClientConfig } from './clients.js';
import { asyncReads } from './identity-center-async.js';
import { instanceScope } from './identity-center-instance.js';
import { permissionSetReads } from './identity-center-reads.js';
import { identityCenterWrites } from './identity-center-writes.js';

export { idempotent } from './identity-center-idempotent.js';

/**
 * Per-request timeouts of the Identity Center and Identity Store clients (SDK requestHandler options): a request
 * that never answers fails after 30 s and is retried by the SDK's bounded retry (maxAttempts), never hangs a run.
 */
export const WRITER_REQUEST_TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 30_000 } as const;

/** Called before every attempt (retries included), e.g. a token bucket's `take`. */
export type Pacer = () => Promise<void>;

type Paced = {
  middlewareStack: { addRelativeTo(mw: unknown, o: { relation: string; toMiddleware: string; name: string }): void };
};

/** Paces every attempt of a client (after the retry middleware, so retries wait for a token too). */
export function paceClient<T>(client: T, pace: Pacer): T {
  (client as unknown as Paced).middlewareStack.addRelativeTo(
    (next: (a: unknown) => Promise<unknown>) => async (args: unknown) => {
      await pace();
      return next(args);
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'iam2ssoPacer' },
  );
  return client;
}

/** Creates the SSO Admin client: the product's AWS settings, counted, paced. */
export function createSsoAdminClient(settings: AwsSettings, pace: Pacer): SSOAdminClient {
  return paceClient(
    countRequests(
      new SSOAdminClient({ ...identityCenterClientConfig(settings), requestHandler: WRITER_REQUEST_TIMEOUTS }),
      'sso',
      settings.counter,
    ),
    pace,
  );
}

/** The Identity Center port over an SSO Admin client. */
export function identityCenterAdapter(client: SSOAdminClient): IdentityCenterPort {
  const scope = instanceScope(client);
  const reads = permissionSetReads(scope);
  return {
    instance: scope.instance,
    ...reads,
    ...asyncReads(scope),
    ...identityCenterWrites(scope),
  };
}
