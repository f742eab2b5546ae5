import { inspect } from 'node:util';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  assertBytes,
  assertStoreKey,
  beginOperation,
  type BlobInfo,
  type ByteStream,
  checkedChunks,
  generateKey,
  isNotFoundError,
  type ObjectStore,
  type OperationOptions,
  type StoreCapabilities,
} from '@claimcheck/core';
import { BackgroundCleanup } from './background-cleanup.js';
import { listStoreEntries } from './key-listing.js';
import { UploadFailure, uploadStream } from './multipart-upload.js';
import { resolveOptions, type R2StoreOptions } from './r2-store-options.js';
import { checkedBody, readBody, type ResponseBody } from './response-body.js';
import { createS3Client } from './s3-client.js';
import { closedReason, type ErrorReading, mayHaveWritten, stoppedError, toStoreError } from './s3-error.js';
import { settleWithin } from './settle-within.js';
import { sendInSlices } from './sliced-body.js';

/**
 * An `ObjectStore` on Cloudflare R2 or any S3-compatible service. Each blob is one object named
 * `${keyPrefix}${key}`, stored as opaque `application/octet-stream` without a `Content-Encoding`.
 */
export class R2Store implements ObjectStore {
  readonly name = 'r2';
  /** S3 streams both ways, and a PutObject that succeeded is durable. */
  readonly capabilities: StoreCapabilities = Object.freeze({ streaming: true, durableWrites: true });
  readonly #bucket: string;
  readonly #keyPrefix: string;
  readonly #endpoint: string | undefined;
  // Private fields: util.inspect and JSON never see the client, which holds the credentials.
  readonly #client: S3Client;
  readonly #ownsClient: boolean;
  readonly #closeTimeoutMs: number;
  #closed = false;
  #closing: Promise<void> | undefined;
  // Fires when close() gives up waiting: every running operation's signal follows it.
  readonly #cancel = new AbortController();
  readonly #running = new Set<Promise<void>>();
  readonly #cleanup = new BackgroundCleanup(this.name);

  /** Checks the options (`INVALID_CONFIG` names every missing or malformed one) and builds the client. */
  constructor(options: R2StoreOptions) {
    const resolved = resolveOptions(options);
    this.#bucket = resolved.bucket;
    this.#keyPrefix = resolved.keyPrefix;
    this.#endpoint = resolved.connection?.endpoint;
    this.#ownsClient = resolved.client === undefined;
    this.#closeTimeoutMs = resolved.closeTimeoutMs;
    this.#client = resolved.client === undefined ? createS3Client(resolved.connection) : resolved.client;
  }

  /** Stores the bytes with one PutObject. The buffer must not change until the returned promise settles. */
  put(data: Uint8Array, options: OperationOptions = {}): Promise<string> {
    return this.#run('put', options, async (reading, signal) => {
      assertBytes(data, reading);
      const key = generateKey();
      await this.#put(key, data, reading, signal);
      return key;
    });
  }

  /** Reads the object with GetObject; `NOT_FOUND` when there is none, an error if the body comes up short. */
  get(key: string, options: OperationOptions = {}): Promise<Uint8Array> {
    return this.#run('get', options, async (reading, signal) => {
      assertStoreKey(key, reading.operation, this.name);
      const response = await this.#getObject(key, { ...reading, missingObjectIsNotFound: true, key }, signal);
      return readBody(response.Body as ResponseBody | undefined, response.ContentLength, reading, signal);
    });
  }

  /** Deletes the object with DeleteObject; a missing one is not an error. */
  delete(key: string, options: OperationOptions = {}): Promise<void> {
    return this.#run('delete', options, async (reading, signal) => {
      assertStoreKey(key, reading.operation, this.name);
      await this.#deleteObject(key, reading, signal);
    });
  }

  /**
   * Checks the bucket with HeadBucket: `INVALID_CONFIG` when it does not exist, `UNAUTHORIZED` when
   * the credentials are rejected, `UNAVAILABLE` when the endpoint cannot be reached, `TIMEOUT` when
   * it does not answer in time.
   */
  health(options: OperationOptions = {}): Promise<void> {
    return this.#run('health', options, async (reading, signal) => {
      const command = new HeadBucketCommand({ Bucket: this.#bucket });
      await this.#send({ ...reading, notFoundIsMissingBucket: true }, signal, (sendOptions) => this.#client.send(command, sendOptions));
    });
  }

  /** Yields the keys under this store's prefix with ListObjectsV2, one page (up to 1000 keys) at a time. */
  async *listKeys(options: OperationOptions = {}): AsyncGenerator<string> {
    for await (const { key } of this.#listEntries('listKeys', options)) yield key;
  }

  /** Like `listKeys`, with each object's Size and LastModified from the same pages. */
  listEntries(options: OperationOptions = {}): AsyncIterable<BlobInfo> {
    return this.#listEntries('listEntries', options);
  }

  #listEntries(operation: string, options: OperationOptions): AsyncIterable<BlobInfo> {
    const reading = this.#reading(operation);
    const { signal } = options;
    const fetchPage = (token: string | undefined) =>
      this.#run(operation, options, (_, operationSignal) => {
        const command = new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: this.#keyPrefix,
          // Names with a '/' after the prefix cannot be keys; the delimiter folds them into one entry each.
          Delimiter: '/',
          ContinuationToken: token,
        });
        return this.#send(reading, operationSignal, (sendOptions) => this.#client.send(command, sendOptions));
      });
    return listStoreEntries(fetchPage, this.#keyPrefix, reading, () => {
      beginOperation(this.#closed, signal, reading);
    });
  }

  /**
   * Streams the source up in parts of 8 MiB, two in flight (lib-storage), so memory stays bounded
   * whatever the length. A failed, invalid or aborted source stores nothing and leaves no parts.
   */
  putStream(source: ByteStream, options: OperationOptions = {}): Promise<string> {
    return this.#run('putStream', options, async (reading, signal) => {
      const key = generateKey();
      await this.#putStream(key, checkedChunks(source, signal, reading), reading, signal);
      return key;
    });
  }

  /** Streams the object's body as it arrives; `NOT_FOUND` before the first chunk when there is none. */
  getStream(key: string, options: OperationOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    return this.#run('getStream', options, async (reading, signal) => {
      assertStoreKey(key, reading.operation, this.name);
      const response = await this.#getObject(key, { ...reading, missingObjectIsNotFound: true, key }, signal);
      return checkedBody(response.Body as ResponseBody | undefined, response.ContentLength, reading, signal);
    });
  }

  /**
   * Later operations reject with `CLOSED` at once. Running ones get up to `closeTimeoutMs` to finish;
   * the rest are cancelled and reject with `CLOSED`. Then the cleanups of failed writes get the same
   * bound, and the client's connections are released (unless the client was injected).
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    this.#closed = true;
    await settleWithin(this.#running, this.#closeTimeoutMs);
    this.#cancel.abort(closedReason(this.name));
    await settleWithin(this.#running, this.#closeTimeoutMs);
    await this.#cleanup.settle(this.#closeTimeoutMs);
    if (this.#ownsClient) this.#client.destroy();
  }

  /** Names the bucket, endpoint and prefix; never the credentials. */
  toString(): string {
    return `R2Store(${inspect(this.toJSON(), { breakLength: Infinity })})`;
  }

  /** What `JSON.stringify` shows: the bucket, endpoint and prefix, never the credentials. */
  toJSON(): { name: string; bucket: string; endpoint?: string; keyPrefix: string } {
    return {
      name: this.name,
      bucket: this.#bucket,
      ...(this.#endpoint === undefined ? {} : { endpoint: this.#endpoint }),
      keyPrefix: this.#keyPrefix,
    };
  }

  /** What `util.inspect` and `console.log` show: the same as `toJSON`. */
  [inspect.custom](): string {
    return this.toString();
  }

  // The checks every operation starts with, then `body` with a signal that fires when the caller
  // aborts or close() cancels; the operation is tracked until it settles, so close() can wait for it.
  async #run<T>(operation: string, options: OperationOptions, body: (reading: ErrorReading, signal: AbortSignal) => Promise<T>): Promise<T> {
    const reading = this.#reading(operation);
    beginOperation(this.#closed, options.signal, reading);
    const signal = options.signal === undefined ? this.#cancel.signal : AbortSignal.any([options.signal, this.#cancel.signal]);
    const running = body(reading, signal);
    const tracked = running.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(tracked);
    void tracked.finally(() => this.#running.delete(tracked));
    return running;
  }

  async #put(key: string, data: Uint8Array, reading: ErrorReading, signal: AbortSignal): Promise<void> {
    const command = sendInSlices(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#objectName(key),
        Body: data,
        ContentLength: data.byteLength,
        ContentType: 'application/octet-stream',
      }),
    );
    try {
      await this.#client.send(command, { abortSignal: signal });
    } catch (error) {
      if (mayHaveWritten(error)) this.#discard(key);
      throw toStoreError(error, reading, signal);
    }
  }

  async #putStream(key: string, chunks: AsyncIterable<Uint8Array>, reading: ErrorReading, signal: AbortSignal): Promise<void> {
    const target = { client: this.#client, bucket: this.#bucket, objectName: this.#objectName(key) };
    try {
      await uploadStream(chunks, target, signal);
    } catch (error) {
      if (!(error instanceof UploadFailure)) throw toStoreError(error, reading, signal);
      const { openUpload, reason, fromSource } = error;
      if (openUpload !== undefined) this.#cleanup.run(openUpload.abort, `the multipart upload of ${target.objectName}`);
      if (!fromSource && mayHaveWritten(reason)) this.#discard(key);
      throw toStoreError(reason, reading, signal);
    }
    // The upload cannot be interrupted between its last part and completion; an abort then still wins.
    if (signal.aborted) {
      this.#discard(key);
      throw stoppedError(signal, reading);
    }
  }

  #getObject(key: string, reading: ErrorReading, signal: AbortSignal) {
    const command = new GetObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key) });
    return this.#send(reading, signal, (sendOptions) => this.#client.send(command, sendOptions));
  }

  async #deleteObject(key: string, reading: ErrorReading, signal: AbortSignal): Promise<void> {
    const command = new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key) });
    try {
      await this.#send({ ...reading, missingObjectIsNotFound: true }, signal, (sendOptions) => this.#client.send(command, sendOptions));
    } catch (error) {
      // S3 answers 204 for a missing object; a server that says NoSuchKey means the same.
      if (!isNotFoundError(error)) throw error;
    }
  }

  // Runs one S3 call with the operation's signal and maps its failure.
  async #send<T>(reading: ErrorReading, signal: AbortSignal, call: (sendOptions: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    try {
      return await call({ abortSignal: signal });
    } catch (error) {
      throw toStoreError(error, reading, signal);
    }
  }

  // A write that failed may still have landed (its response lost, or an abort after the server
  // stored it): only this store knows the key, so it deletes the object, tracked and reported.
  #discard(key: string): void {
    const command = new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key) });
    this.#cleanup.run(() => this.#client.send(command), `object ${this.#objectName(key)}, written by a failed write,`);
  }

  #objectName(key: string): string {
    return `${this.#keyPrefix}${key}`;
  }

  #reading(operation: string, flags: Partial<ErrorReading> = {}): ErrorReading {
    return { operation, backend: this.name, bucket: this.#bucket, ...flags };
  }
}
