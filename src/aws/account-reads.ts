/**
 * The reads of one account, each either answered or recorded as failed. A required read that fails stops the
 * account (it cannot be audited without it); an optional one leaves what it would have told unknown and is
 * listed, once per operation and error code with the number of calls, in the snapshot's `unread`.
 */
import type { UnreadItem } from '../core/model.js';
import { type ReadFailure, RequiredReadFailed, readFailureOf, unreadItem } from './read-failure.js';

/** The reads of one account. */
export class AccountReads {
  readonly accountId: string;
  private readonly failed = new Map<string, UnreadItem>();

  constructor(accountId: string) {
    this.accountId = accountId;
  }

  /** A read the account cannot be audited without: a failure throws RequiredReadFailed. */
  async required<T>(service: string, operation: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof RequiredReadFailed) throw error;
      throw new RequiredReadFailed(readFailureOf(error, service, operation, this.accountId));
    }
  }

  /** A read the audit can do without: a failure is recorded with what it leaves unknown, and gives undefined. */
  async optional<T>(
    service: string,
    operation: string,
    affects: string,
    read: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof RequiredReadFailed) throw error;
      this.record(readFailureOf(error, service, operation, this.accountId), affects);
      return undefined;
    }
  }

  /** The failed reads so far. */
  unread(): UnreadItem[] {
    return [...this.failed.values()];
  }

  private record(failure: ReadFailure, affects: string): void {
    const key = `${failure.service}:${failure.operation}:${failure.code}`;
    const seen = this.failed.get(key);
    if (seen) seen.calls = (seen.calls ?? 1) + 1;
    else this.failed.set(key, { ...unreadItem(failure, affects), calls: 1 });
  }
}
