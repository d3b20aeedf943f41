/**
 * Progress of work per account on stderr. On a terminal the bars of accounts in flight are redrawn in place
 * (finished accounts scroll up as permanent lines); elsewhere (CI logs, pipes) each account prints one line
 * when it finishes, so logs stay readable.
 */
import type { Io } from './io.js';

export type ProgressState = { label: string; phase: string; done: number; total: number };

const BAR = 20;

function bar(p: ProgressState): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const full = Math.round(frac * BAR);
  const count = p.phase === 'users' ? ` ${p.done}/${p.total}` : '';
  return `${p.label.padEnd(28).slice(0, 28)} [${'#'.repeat(full)}${'.'.repeat(BAR - full)}] ${p.phase}${count}`;
}

/** Per-account progress: `update` while an account works, `finish` once with its result line. */
export class AccountProgress {
  private readonly active = new Map<string, ProgressState>();
  private drawn = 0;
  private lastDraw = 0;
  private finished = 0;
  private total = 0;

  constructor(
    private readonly io: Io,
    private readonly enabled = true,
  ) {}

  /** Sets how many accounts there are, for the overall line. */
  start(total: number): void {
    this.total = total;
  }

  update(id: string, label: string, phase: string, done: number, total: number): void {
    if (!this.enabled) return;
    this.active.set(id, { label, phase, done, total });
    if (this.io.isTty && Date.now() - this.lastDraw > 80) this.redraw();
  }

  /** Removes the account's bar and prints its final line. */
  finish(id: string, line: string): void {
    if (!this.enabled) return;
    this.active.delete(id);
    this.finished++;
    if (this.io.isTty) this.redraw(line);
    else this.io.err(`[${this.finished}/${this.total}] ${line}`);
  }

  /** Replaces the live bars with the final count line (call before printing results). */
  close(): void {
    if (!this.enabled || !this.io.isTty || this.drawn === 0) return;
    this.active.clear();
    this.redraw();
    this.drawn = 0;
  }

  private clear(): string {
    return this.drawn > 0 ? `\x1b[${this.drawn}A\x1b[0J` : '';
  }

  private redraw(permanent?: string): void {
    this.lastDraw = Date.now();
    const lines = [...this.active.values()].map(bar);
    lines.push(`${this.finished}/${this.total} accounts done`);
    const text = `${this.clear()}${permanent ? `${permanent}\n` : ''}${lines.join('\n')}\n`;
    this.drawn = lines.length;
    this.io.err(text);
  }
}
