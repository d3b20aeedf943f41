/** SCIM errors as Identity Center returns them: the SCIM Error message with AWS's extra fields. */
import { randomUUID } from 'node:crypto';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** AWS's detail for most 400s (ValidationException). */
export const UNPARSABLE = 'Request is unparsable, syntactically incorrect, or violates schema.';
/** AWS's detail for a 409 on CreateUser and CreateGroup (no `scimType`), from its SCIM error tables. */
export const DUPLICATE_RESOURCE = 'Refused to create a new, duplicate resource.';

/** A SCIM failure a handler raises; the router turns it into the error body. */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType?: string;

  constructor(status: number, detail: string, scimType?: string) {
    super(detail);
    this.status = status;
    this.scimType = scimType;
  }
}

/** 400 ValidationException with AWS's detail, or a more specific one. */
export function validation(detail = UNPARSABLE): ScimError {
  return new ScimError(400, detail);
}

/** 404 ResourceNotFoundException. */
export function notFound(kind: 'User' | 'Group', id: string): ScimError {
  return new ScimError(404, `${kind} not found: ${id}`);
}

/** The error body: AWS sends both `schema` and `schemas`, the status as a string, a request id and a timestamp. */
export function scimErrorBody(error: ScimError, now: Date): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schema: [SCIM_ERROR_SCHEMA],
    schemas: [SCIM_ERROR_SCHEMA],
    detail: error.message,
    status: String(error.status),
    exceptionRequestId: randomUUID(),
    timeStamp: now.toISOString().replace('T', ' ').replace('Z', ''),
  };
  if (error.scimType) body.scimType = error.scimType;
  return body;
}
