import { constants } from 'node:buffer';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ClaimCheckError } from '@claimcheck/core';
import { throwIfAborted } from '@claimcheck/core/store-helpers';
import { readBody, type ReadBound, type ResponseBody } from './response-body.js';
import { type ErrorReading, toStoreError } from './s3-error.js';
import { S3ObjectError } from './s3-object-error.js';
import { sendWithin, type WaitLimit } from './wait-deadline.js';

/** The largest buffer Node can allocate: the bound of a read that has no other. */
export const largestBuffer = constants.MAX_LENGTH;

/** One S3 object to read whole, and what its reader accepts. */
export interface BoundedObjectRead {
  /** The client that sends the GetObject: its retries, timeouts and credentials apply. */
  client: S3Client;
  /** The bucket the object is in. */
  bucket: string;
  /** The object's key. */
  key: string;
  /**
   * The most bytes the reader takes. A larger `Content-Length` fails with `PAYLOAD_TOO_LARGE` before
   * any of the body is read, and a body without one is cut off as soon as it passes the bound.
   */
  maxBytes: number;
  /**
   * The size the reader was promised (a message attribute, a reference), when there is one. A claim
   * over `maxBytes` fails with `PAYLOAD_TOO_LARGE` without a request; any other `Content-Length`
   * fails with `INTEGRITY` before any of the body is read.
   */
  expectedBytes?: number | undefined;
  /** Aborts the request, or the body half-read: `ABORTED`, and the connection is closed. */
  signal?: AbortSignal | undefined;
  /** The operation named in errors, such as `ReceiveMessage`. Default `get`. */
  operation?: string | undefined;
  /** The component named in errors, such as `sqs`. Default `r2`. */
  backend?: string | undefined;
}

/**
 * Reads one S3 object into memory, never more of it than the reader accepts: `Content-Length` is
 * checked against `expectedBytes` and `maxBytes` before the body is read, the read stops at the
 * bound whatever the server sends, and a stopped read destroys the body and its connection.
 * Failures are `ClaimCheckError`s mapped as `R2Store` maps them (`NOT_FOUND` for a missing object);
 * a size that breaks a bound is an `S3ObjectError` naming the bucket and key.
 */
export function readBoundedObject(read: BoundedObjectRead): Promise<Uint8Array> {
  return readNamedObjectWithin(read);
}

/** `readBoundedObject`, under a deadline on waiting for the answer when `limit` is given (`S3Objects.read`). */
export function readNamedObjectWithin(read: BoundedObjectRead, limit?: WaitLimit): Promise<Uint8Array> {
  const { bucket, key, operation = 'get', backend = 'r2' } = read;
  return readObjectWithin(read, { operation, backend, bucket, key, missingObjectIsNotFound: true }, limit);
}

/**
 * `readBoundedObject`, with the caller's own reading of errors (the store names its key, not the
 * object's), and the store's deadline on waiting for the answer when it gives one.
 */
export async function readObjectWithin(read: BoundedObjectRead, reading: ErrorReading, limit?: WaitLimit): Promise<Uint8Array> {
  const { client, bucket, key, maxBytes, expectedBytes, signal } = read;
  const sizeError = (code: 'PAYLOAD_TOO_LARGE' | 'INTEGRITY', detail: string) =>
    new S3ObjectError({ code, operation: reading.operation, backend: reading.backend, bucket, key, detail: `object s3://${bucket}/${key} ${detail}` });
  const invalid = (detail: string) => new ClaimCheckError({ code: 'INVALID_CONFIG', operation: reading.operation, backend: reading.backend, detail });
  if (!isByteCount(maxBytes) || maxBytes > largestBuffer) throw invalid(`maxBytes must be an integer from 0 to ${largestBuffer}`);
  if (expectedBytes !== undefined && !isByteCount(expectedBytes)) throw invalid('expectedBytes must be a non-negative integer');
  const tooLarge = (bytes: number, what: string) => sizeError('PAYLOAD_TOO_LARGE', `${what} ${bytes} bytes, more than the ${maxBytes} this reader accepts`);
  if (expectedBytes !== undefined && expectedBytes > maxBytes) throw tooLarge(expectedBytes, 'is claimed to hold');
  throwIfAborted(signal, reading);

  let response;
  try {
    const command = new GetObjectCommand({ Bucket: bucket, Key: key });
    response = await (limit === undefined
      ? client.send(command, signal === undefined ? {} : { abortSignal: signal })
      : sendWithin(client, command, { signal, limit }));
  } catch (error) {
    throw toStoreError(error, reading, signal);
  }
  const body = response.Body as ResponseBody | undefined;
  const length = response.ContentLength;
  const refuse = (error: ClaimCheckError): never => {
    // Destroying the unread body closes its connection: nothing more of it is received.
    body?.destroy?.();
    throw error;
  };
  if (length !== undefined && length > maxBytes) refuse(tooLarge(length, 'holds'));
  if (length !== undefined && expectedBytes !== undefined && length !== expectedBytes) {
    refuse(sizeError('INTEGRITY', `holds ${length} bytes, the reader was promised ${expectedBytes}`));
  }
  // Without a Content-Length the body itself is counted, and cut off once it passes the bound.
  const bound: ReadBound =
    expectedBytes === undefined
      ? { bytes: maxBytes, error: (received) => tooLarge(received, 'sent at least') }
      : { bytes: expectedBytes, error: (received) => sizeError('INTEGRITY', `sent at least ${received} bytes, the reader was promised ${expectedBytes}`) };
  return readBody(body, length, reading, signal, bound);
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
