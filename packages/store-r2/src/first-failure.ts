/**
 * The stop of an upload at its first failure: `stop(error)` keeps the first error, runs `onStop`
 * once, and every `race` still waiting rejects with that error at once.
 */
export class FirstFailure {
  #reason: { error: unknown } | undefined;
  // The races still waiting. Not a promise they all race: each race would leave a reaction on it,
  // holding its result (a chunk, a part) until the upload ends.
  readonly #waiting = new Set<(error: unknown) => void>();
  readonly #onStop: () => void;

  constructor(onStop: () => void) {
    this.#onStop = onStop;
  }

  /** The first error `stop` was given. */
  get reason(): unknown {
    return this.#reason?.error;
  }

  /** Stops with `error`, unless it has stopped already. */
  stop(error: unknown): void {
    if (this.#reason !== undefined) return;
    this.#reason = { error };
    this.#onStop();
    for (const reject of this.#waiting) reject(error);
    this.#waiting.clear();
  }

  /** `work`'s result, or the first failure's error as soon as there is one, also after `work` settled. */
  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (error: unknown) => {
        this.#waiting.delete(fail);
        reject(error); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- passes on the failure as it came, whatever it is
      };
      this.#waiting.add(fail);
      work.then(
        (value) => {
          if (this.#reason !== undefined) {
            fail(this.#reason.error);
            return;
          }
          this.#waiting.delete(fail);
          resolve(value);
        },
        (error: unknown) => {
          fail(this.#reason === undefined ? error : this.#reason.error);
        },
      );
      if (this.#reason !== undefined) fail(this.#reason.error);
    });
  }
}
