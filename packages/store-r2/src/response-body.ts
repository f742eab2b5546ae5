import { Readable } from 'node:stream';
import { ClaimCheckError } from '@claimcheck/core';
import { throwIfAborted } from '@claimcheck/core/store-helpers';
import { type ErrorReading, toStoreError } from './s3-error.js';

/** A GetObject body as the SDK hands it out in Node (a `Readable`), or any async iterable of bytes. */
export type ResponseBody = AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => void };

/**
 * The chunks of a response body, checked against its Content-Length: a body that ends early or runs
 * long is an error, never a short payload that looks like success. A failing body (a reset
 * connection, a stall past the timeout, an abort) becomes a `ClaimCheckError`. Stopping early
 * destroys the body, so its connection is not left half-read.
 */
export async function* checkedBody(
  body: ResponseBody | undefined,
  contentLength: number | undefined,
  reading: ErrorReading,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  if (body === undefined) {
    if (contentLength !== undefined && contentLength > 0) throw lengthMismatch(reading, 0, contentLength);
    return;
  }
  let received = 0;
  let finished = false;
  try {
    const iterator = body[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw toStoreError(error, reading, signal);
      }
      throwIfAborted(signal, reading);
      if (next.done === true) break;
      received += next.value.byteLength;
      if (contentLength !== undefined && received > contentLength) throw lengthMismatch(reading, received, contentLength);
      yield next.value;
    }
    finished = true;
  } finally {
    if (!finished) body.destroy?.();
  }
  if (contentLength !== undefined && received !== contentLength) throw lengthMismatch(reading, received, contentLength);
}

/**
 * `checkedBody` as a stream handed to a consumer. A generator returned before its first read never
 * runs its `finally`, so closing this one destroys the body itself: the connection is released
 * whenever the consumer stops, also before reading anything.
 */
export function streamedBody(
  body: ResponseBody | undefined,
  contentLength: number | undefined,
  reading: ErrorReading,
  signal: AbortSignal | undefined,
): AsyncIterableIterator<Uint8Array> {
  const chunks = checkedBody(body, contentLength, reading, signal);
  const stream: AsyncIterableIterator<Uint8Array> = {
    next: () => chunks.next(),
    return: () => {
      body?.destroy?.();
      return chunks.return(undefined);
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

/** A bound on a body of unknown length: the most bytes to take, and the error for one that runs past it. */
export interface ReadBound {
  bytes: number;
  error: (received: number) => ClaimCheckError;
}

/**
 * Reads a whole body into one buffer, with the same checks. A Node `Readable` of known length (the
 * SDK's body in Node) is read through its events straight into a buffer allocated up front, which
 * costs less per chunk than async iteration; anything else is iterated and joined, and stops at
 * `bound` (the caller checked a known length against it already). A fired `signal` destroys the
 * body, so a stalled one settles at once whatever client produced it.
 */
export async function readBody(
  body: ResponseBody | undefined,
  contentLength: number | undefined,
  reading: ErrorReading,
  signal: AbortSignal | undefined,
  bound?: ReadBound,
): Promise<Uint8Array> {
  const destroy = () => body?.destroy?.();
  signal?.addEventListener('abort', destroy, { once: true });
  try {
    throwIfAborted(signal, reading);
    if (body instanceof Readable && contentLength !== undefined) return await readNodeBody(body, contentLength, reading, signal);
    const parts: Uint8Array[] = [];
    let received = 0;
    for await (const chunk of checkedBody(body, contentLength, reading, signal)) {
      received += chunk.byteLength;
      // Leaving the loop returns the generator, which destroys the body: nothing more is read.
      if (bound !== undefined && received > bound.bytes) throw bound.error(received);
      parts.push(chunk);
    }
    return new Uint8Array(Buffer.concat(parts));
  } catch (error) {
    destroy();
    throw toStoreError(error, reading, signal);
  } finally {
    signal?.removeEventListener('abort', destroy);
  }
}

function readNodeBody(body: Readable, contentLength: number, reading: ErrorReading, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const buffer = new Uint8Array(contentLength);
  let received = 0;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      body.destroy();
      reject(toStoreError(error, reading, signal));
    };
    body.on('data', (chunk: Buffer) => {
      if (received + chunk.byteLength > contentLength) {
        fail(lengthMismatch(reading, received + chunk.byteLength, contentLength));
        return;
      }
      buffer.set(chunk, received);
      received += chunk.byteLength;
    });
    body.once('error', fail);
    // 'close' also covers a body destroyed without an error, which 'end' alone would never report.
    body.once('close', () => {
      if (received === contentLength) resolve(buffer);
      else fail(lengthMismatch(reading, received, contentLength));
    });
  });
}

function lengthMismatch(reading: ErrorReading, received: number, expected: number): ClaimCheckError {
  const detail =
    received > expected
      ? `the response body ran past its Content-Length of ${expected} bytes`
      : `the response body ended after ${received} of ${expected} bytes`;
  return new ClaimCheckError({ operation: reading.operation, backend: reading.backend, code: 'STORE_FAILURE', detail });
}
