/** Turns AWS SDK failures that stop a whole command into the CLI's CloudError, with what to do about them. */
import { CloudError } from '../errors.js';

type SdkError = Error & { $metadata?: { requestId?: string }; $fault?: string; $service?: string };

const HINTS: Record<string, string> = {
  CredentialsProviderError:
    'no AWS credentials found: set AWS_PROFILE (or run `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  InvalidClientTokenId: 'the access key is not valid in this partition or has been deleted',
  SignatureDoesNotMatch: 'the secret access key does not match the access key id',
  ExpiredToken: 'the session has expired: sign in again (e.g. `aws sso login`)',
  AccessDenied: 'the credentials lack a permission the audit needs (IAM read-only and organizations:List*)',
  AccessDeniedException: 'the credentials lack a permission the audit needs (IAM read-only and organizations:List*)',
};

/** A CloudError for SDK errors (those with `$metadata`, or credential chain failures); other errors unchanged. */
export function toCloudError(error: unknown, service: string): unknown {
  const e = error as SdkError;
  if (!(e instanceof Error) || (!e.$metadata && e.name !== 'CredentialsProviderError')) return error;
  return new CloudError(e.$service ?? service, e.name, e.message, e.$metadata?.requestId, HINTS[e.name]);
}
