import { setTimeout as sleep } from 'node:timers/promises';

// Between two runs: a busy worker scans its registry at most this often, not once per finished job.
const pauseBetweenRunsMs = 100;
// A failed run (the store or Redis down) is tried again after this long, so a quiet queue still catches up.
const retryAfterFailureMs = 5_000;
// setTimeout's largest delay; a later due time is reached in several waits.
const longestTimerMs = 2 ** 31 - 1;

/**
 * Runs `release` after finished jobs, one run at a time: requests that arrive during a run are served
 * by one more run after it, so a busy worker does not queue one registry scan per job. A run resolves
 * with the time its next kept blob falls due (or undefined); the releaser runs again then, and again
 * after a failed run, without holding the process open.
 */
export class BlobReleaser {
  readonly #release: () => Promise<number | undefined>;
  readonly #onError: (error: unknown) => void;
  #running: Promise<void> | undefined;
  #requests = 0;
  #stopped = false;
  #pending = new Set<Promise<unknown>>();
  #timer: { at: number; handle: NodeJS.Timeout } | undefined;

  constructor(release: () => Promise<number | undefined>, onError: (error: unknown) => void) {
    this.#release = release;
    this.#onError = onError;
  }

  /** Asks for a run once `before` (e.g. registering a job's blobs) has settled. */
  request(before?: Promise<unknown>): void {
    const step = (before ?? Promise.resolve()).then(
      () => {
        this.#schedule();
      },
      (error: unknown) => {
        this.#onError(error);
        this.#schedule();
      },
    );
    this.#pending.add(step);
    void step.finally(() => this.#pending.delete(step));
  }

  /** Resolves when every requested run has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0 || this.#running !== undefined) {
      await Promise.all([...this.#pending]);
      await this.#running;
    }
  }

  /** Drops later requests and timed runs: the connection is closing, and the next release of the queue catches up. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer?.handle);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#requests++;
    if (this.#running !== undefined) return;
    this.#running = this.#loop().finally(() => (this.#running = undefined));
  }

  async #loop(): Promise<void> {
    let served = -1;
    while (served !== this.#requests && !this.#stopped) {
      if (served !== -1) await sleep(pauseBetweenRunsMs);
      served = this.#requests;
      try {
        const nextDueAt = await this.#release();
        if (nextDueAt !== undefined) this.#runAt(nextDueAt);
      } catch (error) {
        this.#onError(error);
        this.#runAt(Date.now() + retryAfterFailureMs);
      }
    }
  }

  // One timer, for the earliest time asked for; unref'd, so it never keeps the process alive.
  #runAt(at: number): void {
    if (this.#stopped || (this.#timer !== undefined && this.#timer.at <= at)) return;
    clearTimeout(this.#timer?.handle);
    const handle = setTimeout(() => {
      this.#timer = undefined;
      if (at > Date.now()) this.#runAt(at);
      else this.#schedule();
    }, Math.min(Math.max(at - Date.now(), 0), longestTimerMs));
    handle.unref();
    this.#timer = { at, handle };
  }
}
