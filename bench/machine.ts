/**
 * What every benchmark prints first, so a figure can be quoted with its context: the command that made it, the
 * machine (CPU model, cores, Node version, OS), the date, and the load average when it started (a figure taken on
 * a busy machine is slower than the code is).
 */
import { arch, cpus, loadavg, platform } from 'node:os';
import { relative } from 'node:path';

/** The command line that ran this benchmark, as a user would type it from the repository root. */
export function benchCommand(): string {
  const script = relative(process.cwd(), process.argv[1] ?? '');
  return ['node --import tsx', script, ...process.argv.slice(2)].join(' ');
}

/** One line describing this machine: CPU model, core count, Node version and OS. */
export function machineLine(): string {
  const list = cpus();
  const model = list[0]?.model.replace(/\s+/g, ' ').trim() || 'unknown CPU';
  return `${model}, ${list.length} cores, Node ${process.version}, ${platform()} ${arch()}`;
}

/** The 1-minute load average as a sentence, so figures taken under load say so. */
export function loadLine(): string {
  const [one] = loadavg();
  const cores = cpus().length;
  return `load average ${one.toFixed(1)} on ${cores} cores${one > cores * 0.5 ? ' (the machine was busy)' : ''}`;
}

/** Prints the command, machine, date and load; call first in every benchmark. */
export function printBenchHeader(): void {
  console.log(`command: ${benchCommand()}`);
  console.log(`machine: ${machineLine()}`);
  console.log(`date:    ${new Date().toISOString()}; ${loadLine()}`);
}
