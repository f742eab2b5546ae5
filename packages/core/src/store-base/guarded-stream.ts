import type { OperationScope } from './operation-scope.js';

/**
 * A store's iterator as the caller gets it: each read settles the moment the operation is cancelled,
 * and the operation is released however the consumer ends the stream, by reading to the end, by a
 * failure, or by returning early at any point. Hand-written, not a generator: a generator returned
 * before its first `next()` never runs its body, so a `finally` there would never release anything.
 */
export class GuardedStream<T> implements AsyncIterableIterator<T> {
  readonly #iterator: AsyncIterator<T>;
  readonly #scope: OperationScope;
  readonly #release: () => void;
  #finished = false;

  constructor(iterator: AsyncIterator<T>, scope: OperationScope, release: () => void) {
    this.#iterator = iterator;
    this.#scope = scope;
    this.#release = release;
  }

  /** The next chunk, or the cancellation as soon as the caller aborts or `close()` cancels. */
  async next(): Promise<IteratorResult<T, undefined>> {
    if (this.#finished) return { done: true, value: undefined };
    try {
      const next = await this.#scope.race(this.#iterator.next());
      if (next.done !== true) return next;
      this.#finish();
      return { done: true, value: undefined };
    } catch (error) {
      this.#finish();
      throw error;
    }
  }

  /** Ends the stream early: closes the store's iterator (its file or response) and releases the operation. */
  async return(): Promise<IteratorResult<T, undefined>> {
    if (!this.#finished) {
      this.#finished = true;
      try {
        // A cancelled stream's iterator was closed when it was cancelled.
        if (!this.#scope.cancelled) await this.#iterator.return?.();
      } finally {
        this.#release();
      }
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#release();
  }
}
