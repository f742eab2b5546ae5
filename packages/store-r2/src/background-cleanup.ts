import { settleWithin } from './settle-within.js';

/** The warning emitted (`process.emitWarning`) when a cleanup fails or does not finish before close. */
export const cleanupWarningCode = 'CLAIMCHECK_CLEANUP_FAILED';

/**
 * Cleanups that run after their operation has already settled (deleting an object a failed write
 * may have left, aborting a multipart upload), tracked so that `close()` can wait for them. None is
 * swallowed: a cleanup that fails, or is still running when the wait ends, is reported as a
 * `ClaimCheckWarning` naming what it left behind.
 */
export class BackgroundCleanup {
  readonly #backend: string;
  readonly #pending = new Set<Promise<void>>();

  constructor(backend: string) {
    this.#backend = backend;
  }

  /** Starts `task`; `leftBehind` names what stays if it fails, e.g. `object claimcheck/<key>`. */
  run(task: () => Promise<unknown>, leftBehind: string): void {
    const settled = task().then(
      () => undefined,
      (error: unknown) => {
        this.#warn(`${leftBehind} may be left behind: the cleanup failed: ${String(error)}`);
      },
    );
    const tracked = settled.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  /**
   * Waits for the running cleanups, at most `timeoutMs`. One still running then goes on, and is
   * reported if it fails, for example because the client is destroyed under it.
   */
  settle(timeoutMs: number): Promise<void> {
    return settleWithin(this.#pending, timeoutMs);
  }

  #warn(message: string): void {
    process.emitWarning(`${this.#backend}: ${message}`, { type: 'ClaimCheckWarning', code: cleanupWarningCode });
  }
}
