/**
 * Runs `release` after finished jobs, one run at a time: requests that arrive during a run are served
 * by one more run after it, so a busy worker does not queue one registry scan per job.
 */
export class BlobReleaser {
  readonly #release: () => Promise<unknown>;
  readonly #onError: (error: unknown) => void;
  #running: Promise<void> | undefined;
  #again = false;
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

  #schedule(): void {
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => (this.#running = undefined));
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.#release();
      } catch (error) {
        this.#onError(error);
      }
    } while (this.#again);
  }
}
