/**
 * Colour for terminal output (picocolors): only on a terminal, never under `--json`, `--no-color` or NO_COLOR
 * (https://no-color.org: any non-empty value). The `+ ~ -` diff of apply and plan is painted line by line.
 */
import pc from 'picocolors';

/** Whether to colour a stream: a terminal, no `--no-color`, no NO_COLOR, not `--json`. */
export function colourEnabled(
  flags: { color?: boolean; json?: boolean },
  isTty: boolean | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return Boolean(isTty) && flags.color !== false && !flags.json && !env.NO_COLOR;
}

/** Paints one line of a `+ ~ -` diff by its first sign: create green, change yellow, delete red. */
export type DiffPainter = (line: string) => string;

/** A painter that colours when `enabled`, and returns lines unchanged otherwise. */
export function diffPainter(enabled: boolean): DiffPainter {
  if (!enabled) return (line) => line;
  const c = pc.createColors(true);
  return (line) => {
    const sign = line.trimStart()[0];
    if (sign === '+') return c.green(line);
    if (sign === '~') return c.yellow(line);
    if (sign === '-') return c.red(line);
    return line;
  };
}
