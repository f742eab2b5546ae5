/**
 * The stop of an upload at its first failure: `stop(error)` keeps the first error, runs `onStop`
 * once, and every `race` still waiting rejects with that error at once.
 */
export class FirstFailure {
  #reason: { error: unknown } | undefined;
  readonly #stopped: Promise<never>;
  readonly #reject: (error: unknown) => void;
  readonly #onStop: () => void;

  constructor(onStop: () => void) {
    let reject: (error: unknown) => void = () => undefined;
    this.#stopped = new Promise<never>((_, rejectStopped) => {
      reject = rejectStopped;
    });
    // Rejected only to end the races; a stop nobody races is not an unhandled rejection.
    this.#stopped.catch(() => undefined);
    this.#reject = reject;
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
    this.#reject(error);
  }

  /** `work`'s result, or the first failure's error as soon as there is one, also after `work` settled. */
  async race<T>(work: Promise<T>): Promise<T> {
    const result = await Promise.race([this.#stopped, work]);
    if (this.#reason !== undefined) throw this.#reason.error;
    return result;
  }
}
