/**
 * The few error classes the CLI knows. One handler at the top turns them into a message and an exit code:
 * usage errors exit 2, validation errors list every problem, cloud errors name the service and request id.
 */

/** Bad flags or arguments: exit 2 with the message. */
export class UsageError extends Error {}

/** A problem found while validating a file: where and what. */
export type Problem = { file: string; line?: number; message: string };

/** Every problem a validation found, reported together. */
export class ValidationFailed extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
    this.problems = problems;
  }
}

/** A cloud API refused a call; `hint` says what the user can do about it. */
export class CloudError extends Error {
  readonly service: string;
  readonly errorName: string;
  readonly requestId?: string;
  readonly hint?: string;
  constructor(service: string, errorName: string, message: string, requestId?: string, hint?: string) {
    super(message);
    this.service = service;
    this.errorName = errorName;
    this.requestId = requestId;
    this.hint = hint;
  }
}

/** A command's outcome that is an exit code, not an error (e.g. `plan --detailed-exitcode`: 2 = changes pending). */
export class ExitCode extends Error {
  readonly code: number;
  constructor(code: number, message = '') {
    super(message);
    this.code = code;
  }
}

/** Prints an error the way its class asks and returns the exit code. */
export function reportError(error: unknown, write: (line: string) => void): number {
  if (error instanceof ExitCode) {
    if (error.message) write(error.message);
    return error.code;
  }
  if (error instanceof UsageError) {
    write(`error: ${error.message}`);
    return 2;
  }
  if (error instanceof ValidationFailed) {
    write(`error: ${error.message}:`);
    for (const p of error.problems) write(`  ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    return 1;
  }
  if (error instanceof CloudError) {
    write(
      `error: ${error.service} ${error.errorName}: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}`,
    );
    if (error.hint) write(`  ${error.hint}`);
    return 1;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`iam2sso hit a bug: ${stack}`);
  write('Please report it with the command you ran and the output above.');
  return 70;
}
