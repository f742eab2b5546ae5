import { setTimeout as sleep } from 'node:timers/promises';

// Between two runs: a busy worker scans its registry at most this often, not once per finished job.
const pauseBetweenRunsMs = 100;

/**
 * Runs `release` after finished jobs, one run at a time: requests that arrive during a run are served
 * by one more run after it, so a busy worker does not queue one registry scan per job.
 */
export class BlobReleaser {
  readonly #release: () => Promise<unknown>;
  readonly #onError: (error: unknown) => void;
  #running: Promise<void> | undefined;
  #requests = 0;
  #stopped = false;
  #pending = new Set<Promise<unknown>>();

  constructor(release: () => Promise<unknown>, onError: (error: unknown) => void) {
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

  /** Drops later requests: the connection is closing, and the next release of the queue catches up. */
  stop(): void {
    this.#stopped = true;
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
        await this.#release();
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
