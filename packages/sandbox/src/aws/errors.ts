/** An AWS error as a protocol handler raises it: the code, the message and the HTTP status AWS uses. */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Query protocol: `Sender` for client faults, `Receiver` for server faults. */
  readonly fault: 'Sender' | 'Receiver';
  /** Extra members of a JSON error body, e.g. Organizations' `Reason` (ignored by the Query protocol). */
  readonly fields?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    status = 400,
    fault: 'Sender' | 'Receiver' = 'Sender',
    fields?: Record<string, unknown>,
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.fault = fault;
    this.fields = fields;
  }
}

/** IAM's NoSuchEntity (404). */
export function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntity', message, 404);
}

/** A ValidationError (400) in the Query protocol's naming. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

/** A ValidationException (400) in the JSON protocols' naming. */
export function validationException(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}
