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

/** The checks every operation starts with: `CLOSED` first, then `ABORTED`. */
export function beginOperation(closed: boolean, signal: AbortSignal | undefined, context: OperationContext): void {
  if (closed) {
    throw new ClaimCheckError({ ...context, code: 'CLOSED', detail: 'store is closed' });
  }
  throwIfAborted(signal, context);
}
