import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readNamedObjectWithin } from './bounded-object-read.js';
import { resolveConnection, type R2BucketOptions } from './r2-store-options.js';
import { createS3Client } from './s3-client.js';
import { toStoreError } from './s3-error.js';
import { resolveLimits } from './store-limits.js';
import { sendWithin, type S3Command, type WaitLimit } from './wait-deadline.js';
import type { ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-s3';

/**
 * How `S3Objects` reaches S3: the connection options of `R2Store` (endpoint, credentials, region,
 * `forcePathStyle`, `maxAttempts`, the timeouts, or your own `client`), with the same defaults and checks.
 */
export interface S3ObjectsOptions extends Omit<R2BucketOptions, 'bucket' | 'keyPrefix'> {
  /** Deadline on the time one request waits on the server, as `R2Store`'s option of that name. Default 30 000. */
  waitTimeoutMs?: number | undefined;
  /** The component named in errors: `sqs sendMessage failed: …`. Default `s3`. */
  backend?: string | undefined;
}

/** One call of `S3Objects`. */
export interface S3ObjectCall {
  /** The operation named in errors, such as `SendMessage`. */
  operation?: string | undefined;
  /** Aborts the request: `ABORTED`. */
  signal?: AbortSignal | undefined;
}

/** A whole-object write. */
export interface S3ObjectPut extends S3ObjectCall {
  /** Default `application/octet-stream`. */
  contentType?: string | undefined;
}

/** A bounded read (see `readBoundedObject`). */
export interface S3ObjectRead extends S3ObjectCall {
  /** The most bytes the reader takes: a larger object is `PAYLOAD_TOO_LARGE` before its body is read. */
  maxBytes: number;
  /** The size the reader was promised: any other `Content-Length` is `INTEGRITY` before the body is read. */
  expectedBytes?: number | undefined;
}

/**
 * The S3 layer for integrations: whole-object writes, bounded reads and deletes of any bucket and
 * key, with the client, retries, timeouts, wait deadline and error mapping of `R2Store`. Every
 * failure is a `ClaimCheckError` with the store's codes (`NOT_FOUND`, `UNAVAILABLE`, `TIMEOUT`, …).
 */
export class S3Objects {
  /** The client the calls go through: built from the options, or the one given. */
  readonly client: S3Client;
  readonly #ownsClient: boolean;
  readonly #backend: string;
  readonly #limit: WaitLimit;

  /** Checks the options (`INVALID_CONFIG` names every missing or malformed one) and builds the client. */
  constructor(options: S3ObjectsOptions) {
    const { backend = 's3', waitTimeoutMs, ...connection } = options;
    const { limits, problems } = resolveLimits({ waitTimeoutMs });
    const reached = resolveConnection(connection, problems, [], backend);
    this.#backend = backend;
    this.#limit = { timeoutMs: limits.waitTimeoutMs, option: 'waitTimeoutMs' };
    this.#ownsClient = reached.client === undefined;
    this.client = reached.client ?? createS3Client(reached.connection);
  }

  /** Writes `body` as the whole object `bucket`/`key` (a PutObject). */
  async put(bucket: string, key: string, body: Uint8Array, { contentType = 'application/octet-stream', ...call }: S3ObjectPut = {}): Promise<void> {
    const command = new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.byteLength, ContentType: contentType });
    await this.#send(command, bucket, key, call, 'put');
  }

  /**
   * Reads the object whole, never more of it than `maxBytes`: `readBoundedObject` through this client,
   * its wait for the answer bounded by `waitTimeoutMs` as `put` and `delete` are (`TIMEOUT`); the
   * body that follows moves under the silence bound only, as `R2Store.get`'s does.
   */
  read(bucket: string, key: string, { maxBytes, expectedBytes, operation = 'get', signal }: S3ObjectRead): Promise<Uint8Array> {
    return readNamedObjectWithin({ client: this.client, bucket, key, maxBytes, expectedBytes, signal, operation, backend: this.#backend }, this.#limit);
  }

  /** Deletes the object; deleting a missing one succeeds, as S3 does. */
  async delete(bucket: string, key: string, call: S3ObjectCall = {}): Promise<void> {
    await this.#send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), bucket, key, call, 'delete');
  }

  /** Destroys the client if it was built here; one given in the options is left to its owner. */
  destroy(): void {
    if (this.#ownsClient) this.client.destroy();
  }

  async #send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    command: S3Command<I, O>,
    bucket: string,
    key: string,
    { operation, signal }: S3ObjectCall,
    fallback: string,
  ): Promise<O> {
    try {
      return await sendWithin(this.client, command, { signal, limit: this.#limit, sliceBody: command instanceof PutObjectCommand });
    } catch (error) {
      throw toStoreError(error, { operation: operation ?? fallback, backend: this.#backend, bucket, key }, signal);
    }
  }
}
