import { ClaimCheckError, isClaimCheckError } from './errors.js';
import type { OperationContext } from './operation-guard.js';
import { abortedError, throwIfAborted, untilAborted } from './operation-guard.js';

/** Throws `INVALID_PAYLOAD` unless `value` is a `Uint8Array` (a `Buffer` is one). */
export function assertBytes(value: unknown, context: OperationContext): asserts value is Uint8Array {
  if (value instanceof Uint8Array) return;
  const prototype: unknown = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  const kind = value === null ? 'null' : typeof value === 'object' ? ((prototype as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object') : typeof value;
  throw new ClaimCheckError({ ...context, code: 'INVALID_PAYLOAD', detail: `expected a Uint8Array, got ${kind}` });
}

/**
 * Yields the chunks of `source`, checking each is bytes. An abort ends it at once, even while the
 * source is stalled waiting for its next chunk. Works for Node
 * `Readable`s and web `ReadableStream`s alike, since both are async iterables. A claimcheck error from
 * the source passes through with its code; any other becomes `SOURCE_FAILURE`, so callers can tell
 * their stream's failure from the store's.
 */
export async function* checkedChunks(
  source: AsyncIterable<unknown>,
  signal: AbortSignal | undefined,
  context: OperationContext,
): AsyncGenerator<Uint8Array> {
  if (typeof (source as Partial<AsyncIterable<unknown>> | null)?.[Symbol.asyncIterator] !== 'function') {
    throw new ClaimCheckError({ ...context, code: 'INVALID_PAYLOAD', detail: 'expected an async iterable of Uint8Array' });
  }
  const iterator = source[Symbol.asyncIterator]();
  let sourceEnded = false;
  let stalled = false;
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await untilAborted(iterator.next(), signal, context);
      } catch (error) {
        if (signal?.aborted) {
          // The source may still be waiting inside next(): don't wait for it to stop.
          stalled = true;
          throw abortedError(signal, context);
        }
        sourceEnded = true;
        // A claimcheck error from an upstream stage (another store, the manager) keeps its code.
        if (isClaimCheckError(error)) throw error;
        const detail = `source stream failed: ${String(error)}`;
        throw new ClaimCheckError({ ...context, code: 'SOURCE_FAILURE', detail, cause: error });
      }
      sourceEnded = next.done === true;
      throwIfAborted(signal, context);
      if (sourceEnded) return;
      assertBytes(next.value, context);
      yield next.value;
    }
  } finally {
    // Stopping early (abort, bad chunk, consumer break) stops the source too, as `for await` would.
    if (!sourceEnded) await stopSource(iterator, stalled);
  }
}

// A stalled source's return() may queue behind its pending next() and never settle: fire and forget.
async function stopSource(iterator: AsyncIterator<unknown>, stalled: boolean): Promise<void> {
  const stopping = Promise.resolve().then(() => iterator.return?.());
  if (stalled) stopping.catch(() => undefined);
  else await stopping;
}

/**
 * Reads a whole stream into one buffer, copying each chunk as it arrives: a source may reuse its
 * buffer for the next chunk. For stores and tests that hold blobs in memory anyway.
 */
export async function collectBytes(
  source: AsyncIterable<unknown>,
  signal: AbortSignal | undefined,
  context: OperationContext,
): Promise<Uint8Array> {
  let buffer = new Uint8Array(64 * 1024);
  let length = 0;
  for await (const chunk of checkedChunks(source, signal, context)) {
    if (length + chunk.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(Math.max(buffer.byteLength * 2, length + chunk.byteLength));
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(chunk, length);
    length += chunk.byteLength;
  }
  return buffer.slice(0, length);
}
