import { abortedError, type OperationContext } from '@claimcheck/core/store-helpers';

/**
 * A counting semaphore over the store's open file descriptors. A burst of puts or gets beyond the
 * limit waits its turn instead of failing with EMFILE; a waiter whose signal fires leaves the queue.
 */
export class OpenFileLimit {
  readonly #max: number;
  #open = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  /** Runs `body` holding one descriptor's permit, waiting first when all are taken. */
  async run<T>(operation: OperationContext & { signal: AbortSignal }, body: () => Promise<T>): Promise<T> {
    // A free permit is taken at once, without the promise and the turn that acquire() costs.
    const release = this.#take() ?? (await this.#wait(operation));
    try {
      return await body();
    } finally {
      release();
    }
  }

  /** Waits for a permit; the returned function gives it back, once. */
  async acquire(operation: OperationContext & { signal: AbortSignal }): Promise<() => void> {
    return this.#take() ?? this.#wait(operation);
  }

  // A free permit, or undefined when all are taken. Permits pass straight to waiters, so a free one
  // means nobody is waiting.
  #take(): (() => void) | undefined {
    if (this.#open >= this.#max) return undefined;
    this.#open++;
    return this.#releaser();
  }

  async #wait({ signal, ...context }: OperationContext & { signal: AbortSignal }): Promise<() => void> {
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        signal.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        this.#waiting.splice(this.#waiting.indexOf(turn), 1);
        reject(abortedError(signal, context));
      };
      if (signal.aborted) {
        reject(abortedError(signal, context));
        return;
      }
      signal.addEventListener('abort', leave, { once: true });
      this.#waiting.push(turn);
    });
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The permit passes straight to the next waiter, so the count never dips below the demand.
      const next = this.#waiting.shift();
      if (next === undefined) this.#open--;
      else next();
    };
  }
}
