import { ClaimCheckError, isClaimCheckError } from '../errors.js';
import { raceAbort, type OperationContext } from '../operation-guard.js';

/** What a store's primitive is told about the operation it runs. */
export interface StoreOperation extends OperationContext {
  /** Fires when the caller aborts or `close()` cancels the operation: pass it to every I/O call. */
  readonly signal: AbortSignal;
}

/**
 * One public operation's view of its two cancellation sources, the caller's signal and the store's
 * close signal, joined into one signal for the primitive. `race` makes the caller's promise settle the
 * moment either fires, however long the primitive takes to notice.
 */
export class OperationScope {
  readonly operation: StoreOperation;
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #closeSignal: AbortSignal;
  readonly #cancel = () => {
    this.#controller.abort(this.#callerSignal?.aborted === true ? this.#callerSignal.reason : this.#closeSignal.reason);
  };

  constructor(context: OperationContext, callerSignal: AbortSignal | undefined, closeSignal: AbortSignal) {
    this.#callerSignal = callerSignal;
    this.#closeSignal = closeSignal;
    this.operation = { ...context, signal: this.#controller.signal };
    callerSignal?.addEventListener('abort', this.#cancel, { once: true });
    closeSignal.addEventListener('abort', this.#cancel, { once: true });
    if (callerSignal?.aborted === true || closeSignal.aborted) this.#cancel();
  }

  /** True once the caller aborted or close cancelled. */
  get cancelled(): boolean {
    return this.#controller.signal.aborted;
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
    return raceAbort(
      work,
      this.#controller.signal,
      () => this.cancellation(),
      (error) => (this.cancelled ? this.cancellation() : asStoreError(error, this.operation)),
    );
  }

  /** Stops listening to the caller's and the store's signals. */
  dispose(): void {
    this.#callerSignal?.removeEventListener('abort', this.#cancel);
    this.#closeSignal.removeEventListener('abort', this.#cancel);
  }
}

// A primitive that throws something other than a claimcheck error still gives the caller a code.
function asStoreError(error: unknown, { operation, backend }: OperationContext): ClaimCheckError {
  if (isClaimCheckError(error)) return error;
  return new ClaimCheckError({ code: 'STORE_FAILURE', operation, backend, detail: String(error), cause: error });
}
