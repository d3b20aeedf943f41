import { writeFileSync } from 'node:fs';

/** Where a command writes: stdout for results, stderr for progress and messages. Swappable in tests. */
export type Io = {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal, so progress can redraw in place. */
  isTty: boolean;
  /** True when stdout is a terminal (colour is only ever used there). */
  outIsTty?: boolean;
};

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stderr.isTTY),
  outIsTty: Boolean(process.stdout.isTTY),
};

/** Prints a value as indented JSON on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** Writes a file; a failure (full disk, a directory in the way) names the path in the error. */
export function writeOutputFile(path: string, body: string | Buffer): void {
  try {
    writeFileSync(path, body);
  } catch (error) {
    if (error && typeof error === 'object' && !(error as { path?: string }).path) Object.assign(error, { path });
    throw error;
  }
}
