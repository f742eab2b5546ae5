import { ClaimCheckError, isClaimCheckError } from '../errors.js';
import type { OperationContext } from '../operation-guard.js';

/** What a store's primitive is told about the operation it runs. */
export interface StoreOperation extends OperationContext {
  /** Fires when the caller aborts or `close()` cancels the operation: pass it to every I/O call. */
  readonly signal: AbortSignal;
}

/**
 * One public operation's view of its two cancellation sources, the caller's signal and the store's
 * `close()`, joined into one signal for the primitive. `race` makes the caller's promise settle the
 * moment either fires, however long the primitive takes to notice.
 *
 * Cheap on purpose, since every call pays for it: the store cancels its live scopes from a `Set`
 * rather than each scope listening on a shared close signal, and a race is settled by `cancel` itself
 * rather than by a listener on the scope's signal (an `addEventListener`/`removeEventListener` pair
 * costs about a microsecond, as much as the rest of the scope together).
 */
export class OperationScope {
  readonly operation: StoreOperation;
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #live: Set<OperationScope>;
  readonly #onCallerAbort: (() => void) | undefined;
  // The rejections of the races still waiting, made on the first race.
  #waiting: Set<(error: ClaimCheckError) => void> | undefined;

  /** Joins `live`, the store's scopes that `close()` cancels, until `dispose`. */
  constructor(operation: string, backend: string, callerSignal: AbortSignal | undefined, live: Set<OperationScope>) {
    this.operation = { operation, backend, signal: this.#controller.signal };
    this.#callerSignal = callerSignal;
    this.#live = live;
    live.add(this);
    if (callerSignal !== undefined) {
      const onCallerAbort = () => {
        this.cancel(callerSignal.reason);
      };
      this.#onCallerAbort = onCallerAbort;
      callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    }
  }

  /** True once the caller aborted or close cancelled. */
  get cancelled(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Fires the primitive's signal with `reason` and settles every waiting race with the cancellation; once. */
  cancel(reason: unknown): void {
    if (this.cancelled) return;
    this.#controller.abort(reason);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting === undefined) return;
    for (const reject of waiting) reject(this.cancellation());
  }

  /** `ABORTED` when the caller aborted (their reason as `cause`), else `CLOSED`. */
  cancellation(): ClaimCheckError {
    const { operation, backend } = this.operation;
    if (this.#callerSignal?.aborted === true) {
      return new ClaimCheckError({ code: 'ABORTED', operation, backend, detail: 'operation aborted', cause: this.#callerSignal.reason });
    }
    return new ClaimCheckError({ code: 'CLOSED', operation, backend, detail: 'store was closed while the operation ran' });
  }

  /** Settles with `work`, or rejects with the cancellation as soon as the scope is cancelled. */
  race<T>(work: Promise<T>): Promise<T> {
    return this.#race(work, false);
  }

  /** `race`, and the scope is disposed the moment that settles: for work that is the operation's last step. */
  finish<T>(work: Promise<T>): Promise<T> {
    return this.#race(work, true);
  }

  /** Leaves the store's live scopes and stops listening to the caller's signal. */
  dispose(): void {
    this.#live.delete(this);
    if (this.#onCallerAbort !== undefined) this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  #race<T>(work: Promise<T>, last: boolean): Promise<T> {
    if (this.cancelled) {
      if (last) this.dispose();
      work.catch(() => undefined);
      return Promise.reject(this.cancellation());
    }
    return new Promise<T>((resolve, reject) => {
      const waiting = (this.#waiting ??= new Set());
      // Whichever comes first, the work or the cancellation, settles the race; the other finds it settled.
      const cancelled = (error: ClaimCheckError) => {
        if (last) this.dispose();
        reject(error);
      };
      waiting.add(cancelled);
      work.then(
        (value) => {
          waiting.delete(cancelled);
          if (last) this.dispose();
          resolve(value);
        },
        (error: unknown) => {
          waiting.delete(cancelled);
          if (last) this.dispose();
          reject(this.cancelled ? this.cancellation() : asStoreError(error, this.operation));
        },
      );
    });
  }
}

// A primitive that throws something other than a claimcheck error still gives the caller a code.
function asStoreError(error: unknown, { operation, backend }: OperationContext): ClaimCheckError {
  if (isClaimCheckError(error)) return error;
  return new ClaimCheckError({ code: 'STORE_FAILURE', operation, backend, detail: String(error), cause: error });
}
