import { abortedError, type OperationContext } from '@claimcheck/core';

/**
 * `source` with every read raced against `signal`: once it fires, the pending read rejects with
 * `ABORTED` at once, even while the source is stalled, and the source is told to stop. Anything that
 * is not an async iterable passes through, for the caller's own check to reject.
 */
export function abortableSource(source: AsyncIterable<unknown>, signal: AbortSignal | undefined, context: OperationContext): AsyncIterable<unknown> {
  if (signal === undefined || typeof (source as Partial<AsyncIterable<unknown>> | null)?.[Symbol.asyncIterator] !== 'function') return source;
  return {
    [Symbol.asyncIterator]: () => {
      const iterator = source[Symbol.asyncIterator]();
      const stop = (): void => {
        // The source is abandoned; a failure while it stops changes nothing for the caller, who aborted.
        iterator.return?.().catch(() => undefined);
      };
      return {
        next: () => raceAbort(iterator.next(), signal, context, stop),
        return: (value?: unknown) => iterator.return?.(value) ?? Promise.resolve({ done: true as const, value }),
      };
    },
  };
}

function raceAbort<T>(pending: Promise<T>, signal: AbortSignal, context: OperationContext, onAbort: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      reject(abortedError(signal, context));
      onAbort();
    };
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    pending.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort);
    });
  });
}
