import { ClaimCheckError } from './errors.js';

/** Where an operation runs: enough to name it in an error. */
export interface OperationContext {
  operation: string;
  backend: string;
}

/** The `ABORTED` error for a fired signal, keeping the signal's reason as `cause`. */
export function abortedError(signal: AbortSignal, { operation, backend }: OperationContext): ClaimCheckError {
  return new ClaimCheckError({ code: 'ABORTED', operation, backend, detail: 'operation aborted', cause: signal.reason });
}

/** Throws `ABORTED` when the signal has fired; call between steps of a long operation. */
export function throwIfAborted(signal: AbortSignal | undefined, context: OperationContext): void {
  if (signal?.aborted) throw abortedError(signal, context);
}

/**
 * Settles like `work`, or rejects with `ABORTED` the moment `signal` fires: for awaiting something
 * that may never settle by itself, such as the next chunk of a stalled source.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, context: OperationContext): Promise<T> {
  if (signal === undefined) return work;
  return raceAbort(work, signal, () => abortedError(signal, context), (error) => error);
}

/**
 * Settles like `work`, its rejection passed through `failure`, or rejects with `cancellation()` the
 * moment `signal` fires (at once when it already has). The one race every abortable wait uses.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal, cancellation: () => Error, failure: (error: unknown) => unknown): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(cancellation());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(cancellation());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work
      .then(resolve, (error: unknown) => {
        reject(failure(error)); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- passes on what work rejected with, whatever it is
      })
      .finally(() => {
        signal.removeEventListener('abort', onAbort);
      });
  });
}
