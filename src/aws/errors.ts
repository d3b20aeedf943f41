/** Turns AWS SDK failures that stop a whole command into the CLI's CloudError, with what to do about them. */
import { CloudError } from '../errors.js';
import { adviceFor, describeReadFailure, readFailureOf } from './read-failure.js';

type SdkError = Error & { $metadata?: { requestId?: string }; $fault?: string; $service?: string };

const HINTS: Record<string, string> = {
  CredentialsProviderError:
    'no AWS credentials found: set AWS_PROFILE (or run `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  InvalidClientTokenId: 'the access key is not valid in this partition or has been deleted',
  SignatureDoesNotMatch: 'the secret access key does not match the access key id',
  ExpiredToken: 'the session has expired: sign in again (e.g. `aws sso login`)',
  AccessDenied:
    'the credentials lack the permission named above: `iam2sso permissions --for COMMAND` prints the policies each command needs',
  AccessDeniedException:
    'the credentials lack the permission named above: `iam2sso permissions --for COMMAND` prints the policies each command needs',
};

/**
 * A CloudError for SDK errors (those with `$metadata`, or credential chain failures); other errors unchanged.
 * A call the clients recorded (`$operation`) is named with its service, operation, HTTP status and what to do,
 * also when the answer was not XML or JSON or never came.
 */
export function toCloudError(error: unknown, service: string, accountId = 'the caller account'): unknown {
  // Already explained (a credential provider of ours, e.g. an SSO profile that is not logged in): keep its words.
  if (error instanceof CloudError) return error;
  const e = error as SdkError & { $operation?: string };
  if (!(e instanceof Error) || (!e.$metadata && e.name !== 'CredentialsProviderError' && !e.$operation)) return error;
  // A bad endpoint URL (AWS_ENDPOINT_URL) is the user's input, not a cloud's answer: the CLI names it.
  if ((e as { code?: string }).code === 'ERR_INVALID_URL') return error;
  if (e.$operation && !HINTS[e.name]) {
    const failure = readFailureOf(e, service, e.$operation, accountId);
    return new CloudError(failure.service, failure.code, describeReadFailure(failure), undefined, adviceFor(failure));
  }
  return new CloudError(e.$service ?? service, e.name, e.message, e.$metadata?.requestId, HINTS[e.name]);
}
