/**
 * The sandbox's virtual clock. It follows real time from a start instant and can be moved forward,
 * so weeks of activity, credential-report ages or provisioning cycles pass in a moment.
 */
export class VirtualClock {
  private offsetMs: number;

  constructor(start?: Date) {
    this.offsetMs = start ? start.getTime() - Date.now() : 0;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('the virtual clock only moves forward');
    this.offsetMs += ms;
  }
}
