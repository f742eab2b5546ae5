/** The promises a store is still running, so that `close()` can wait for them. */
export class InFlight {
  readonly #running = new Set<Promise<unknown>>();

  /** How many are still running. */
  get size(): number {
    return this.#running.size;
  }

  /** Counts `work` as running until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    // One promise per call, which removes itself: tracking is on every store operation's path.
    const forget = () => {
      this.#running.delete(settled);
    };
    const settled: Promise<unknown> = work.then(forget, forget);
    this.#running.add(settled);
    return work;
  }

  /** Resolves `true` once nothing runs, also work started meanwhile, or `false` after `timeoutMs` (none: no limit). */
  async settled(timeoutMs?: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      if (timeoutMs !== undefined) timer = setTimeout(resolve, timeoutMs, false);
    });
    try {
      while (this.#running.size > 0) {
        const next = await Promise.race([Promise.all(this.#running).then(() => true), timedOut]);
        if (!next) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
