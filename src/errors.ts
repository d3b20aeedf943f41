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

/** The user pressed Ctrl-C: exit 130 with what was (not) done. */
export class Interrupted extends Error {}

/** A condition recognised outside these classes (a full disk, a reset connection): message, hint, exit code. */
export type RecognisedCondition = { message: string; hint: string; exitCode: number; code: string };

/** How reportError prints: JSON on stderr for scripts, stack traces only when debugging. */
export type ReportOptions = {
  json?: boolean;
  debug?: boolean;
  /** Recognises ordinary conditions in errors of no class above (see src/cli/error-conditions.ts). */
  recognise?: (error: unknown) => RecognisedCondition | undefined;
};

type Described = { exitCode: number; kind: string; message: string; lines: string[]; hint?: string; code?: string };

function describe(error: unknown, options: ReportOptions): Described {
  if (error instanceof ExitCode)
    return { exitCode: error.code, kind: 'exit', message: error.message, lines: error.message ? [error.message] : [] };
  if (error instanceof Interrupted)
    return { exitCode: 130, kind: 'interrupted', message: error.message, lines: [error.message] };
  if (error instanceof UsageError)
    return { exitCode: 2, kind: 'usage', message: error.message, lines: [`error: ${error.message}`] };
  if (error instanceof ValidationFailed) {
    const lines = error.problems.map((p) => `  ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    return { exitCode: 1, kind: 'validation', message: error.message, lines: [`error: ${error.message}:`, ...lines] };
  }
  if (error instanceof CloudError) {
    const request = error.requestId ? ` (request ${error.requestId})` : '';
    return {
      exitCode: 1,
      kind: 'cloud',
      code: error.errorName,
      message: `${error.service} ${error.errorName}: ${error.message}${request}`,
      hint: error.hint,
      lines: [
        `error: ${error.service} ${error.errorName}: ${error.message}${request}`,
        ...(error.hint ? [`  ${error.hint}`] : []),
      ],
    };
  }
  const known = options.recognise?.(error);
  if (known)
    return {
      exitCode: known.exitCode,
      kind: 'condition',
      code: known.code,
      message: known.message,
      hint: known.hint,
      lines: [`error: ${known.message}: ${known.hint}`],
    };
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    exitCode: 70,
    kind: 'bug',
    message: error instanceof Error ? error.message : String(error),
    lines: [`iam2sso hit a bug: ${stack}`, 'Please report it with the command you ran and the output above.'],
  };
}

/**
 * Prints an error the way its class asks and returns the exit code: one line (and a hint) for expected
 * failures, the stack only for bugs or with `debug`; under `json` one JSON object
 * `{"error":{"kind","message","hint","code","exitCode"}}` instead.
 */
export function reportError(error: unknown, write: (line: string) => void, options: ReportOptions = {}): number {
  const d = describe(error, options);
  if (options.json && (d.kind !== 'exit' || d.message)) {
    const problems = error instanceof ValidationFailed ? { problems: error.problems } : {};
    write(
      JSON.stringify({
        error: { kind: d.kind, message: d.message, hint: d.hint, code: d.code, exitCode: d.exitCode, ...problems },
      }),
    );
  } else for (const line of d.lines) write(line);
  if (options.debug && d.kind !== 'bug' && error instanceof Error && error.stack) write(error.stack);
  return d.exitCode;
}
