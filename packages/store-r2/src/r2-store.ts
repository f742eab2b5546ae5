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
  throwIfAborted,
} from '@claimcheck/core';
import { listStoreEntries } from './key-listing.js';
import { uploadStream } from './multipart-upload.js';
import { resolveOptions, type R2StoreOptions } from './r2-store-options.js';
import { checkedBody, readBody, type ResponseBody } from './response-body.js';
import { createS3Client } from './s3-client.js';
import { type ErrorReading, toStoreError } from './s3-error.js';

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
  #closed = false;

  /** Checks the options (`INVALID_CONFIG` names every missing or malformed one) and builds the client. */
  constructor(options: R2StoreOptions) {
    const resolved = resolveOptions(options);
    this.#bucket = resolved.bucket;
    this.#keyPrefix = resolved.keyPrefix;
    this.#endpoint = resolved.connection?.endpoint;
    this.#ownsClient = resolved.client === undefined;
    this.#client = resolved.client === undefined ? createS3Client(resolved.connection) : resolved.client;
  }

  /** Stores the bytes with one PutObject. The buffer must not change until the returned promise settles. */
  async put(data: Uint8Array, options: OperationOptions = {}): Promise<string> {
    const reading = this.#reading('put');
    beginOperation(this.#closed, options.signal, reading);
    assertBytes(data, reading);
    const key = generateKey();
    const command = new PutObjectCommand({
      Bucket: this.#bucket,
      Key: this.#objectName(key),
      Body: data,
      ContentLength: data.byteLength,
      ContentType: 'application/octet-stream',
    });
    await this.#send(reading, options.signal, (sendOptions) => this.#client.send(command, sendOptions), key);
    return key;
  }

  /** Reads the object with GetObject; `NOT_FOUND` when there is none, an error if the body comes up short. */
  async get(key: string, options: OperationOptions = {}): Promise<Uint8Array> {
    const reading = this.#reading('get', { missingObjectIsNotFound: true, key });
    const response = await this.#getObject(key, reading, options.signal);
    return readBody(response.Body as ResponseBody | undefined, response.ContentLength, reading, options.signal);
  }

  /** Deletes the object with DeleteObject; a missing one is not an error. */
  async delete(key: string, options: OperationOptions = {}): Promise<void> {
    const reading = this.#reading('delete', { missingObjectIsNotFound: true });
    beginOperation(this.#closed, options.signal, reading);
    assertStoreKey(key, reading.operation, this.name);
    const command = new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key) });
    try {
      await this.#send(reading, options.signal, (sendOptions) => this.#client.send(command, sendOptions));
    } catch (error) {
      // S3 answers 204 for a missing object; a server that says NoSuchKey means the same.
      if (!isNotFoundError(error)) throw error;
    }
  }

  /**
   * Checks the bucket with HeadBucket: `INVALID_CONFIG` when it does not exist, `UNAUTHORIZED` when
   * the credentials are rejected, `UNAVAILABLE` when the endpoint cannot be reached, `TIMEOUT` when
   * it does not answer in time.
   */
  async health(options: OperationOptions = {}): Promise<void> {
    const reading = this.#reading('health', { notFoundIsMissingBucket: true });
    beginOperation(this.#closed, options.signal, reading);
    const command = new HeadBucketCommand({ Bucket: this.#bucket });
    await this.#send(reading, options.signal, (sendOptions) => this.#client.send(command, sendOptions));
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
    const fetchPage = (token: string | undefined) => {
      const command = new ListObjectsV2Command({
        Bucket: this.#bucket,
        Prefix: this.#keyPrefix,
        // Names with a '/' after the prefix cannot be keys; the delimiter folds them into one entry each.
        Delimiter: '/',
        ContinuationToken: token,
      });
      return this.#send(reading, signal, (sendOptions) => this.#client.send(command, sendOptions));
    };
    return listStoreEntries(fetchPage, this.#keyPrefix, reading, () => {
      beginOperation(this.#closed, signal, reading);
    });
  }

  /**
   * Streams the source up in parts of 8 MiB, two in flight (lib-storage), so memory stays bounded
   * whatever the length. A failed, invalid or aborted source stores nothing and leaves no parts.
   */
  async putStream(source: ByteStream, options: OperationOptions = {}): Promise<string> {
    const reading = this.#reading('putStream');
    const { signal } = options;
    beginOperation(this.#closed, signal, reading);
    const key = generateKey();
    const target = { client: this.#client, bucket: this.#bucket, objectName: this.#objectName(key) };
    await this.#send(reading, signal, () => uploadStream(checkedChunks(source, signal, reading), target), key);
    // The upload cannot be interrupted between its last part and completion; an abort then still wins.
    if (signal?.aborted === true) {
      this.#discard(key);
      throwIfAborted(signal, reading);
    }
    return key;
  }

  /** Streams the object's body as it arrives; `NOT_FOUND` before the first chunk when there is none. */
  async getStream(key: string, options: OperationOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const reading = this.#reading('getStream', { missingObjectIsNotFound: true, key });
    const response = await this.#getObject(key, reading, options.signal);
    return checkedBody(response.Body as ResponseBody | undefined, response.ContentLength, reading, options.signal);
  }

  /** Releases the client's connections (unless the client was injected); later operations reject with `CLOSED`. */
  close(): Promise<void> {
    if (!this.#closed && this.#ownsClient) this.#client.destroy();
    this.#closed = true;
    return Promise.resolve();
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

  async #getObject(key: string, reading: ErrorReading, signal: AbortSignal | undefined) {
    beginOperation(this.#closed, signal, reading);
    assertStoreKey(key, reading.operation, this.name);
    const command = new GetObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key) });
    return this.#send(reading, signal, (sendOptions) => this.#client.send(command, sendOptions));
  }

  // Runs one S3 call and maps its failure. A write that was aborted may still have landed on the
  // server, so the object it was writing (`written`) is deleted in the background.
  async #send<T>(
    reading: ErrorReading,
    signal: AbortSignal | undefined,
    call: (sendOptions: { abortSignal?: AbortSignal }) => Promise<T>,
    written?: string,
  ): Promise<T> {
    try {
      return await call(signal === undefined ? {} : { abortSignal: signal });
    } catch (error) {
      if (written !== undefined && signal?.aborted === true) this.#discard(written);
      throw toStoreError(error, reading, signal);
    }
  }

  #discard(key: string): void {
    const command = new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key) });
    this.#client.send(command).catch(() => undefined);
  }

  #objectName(key: string): string {
    return `${this.#keyPrefix}${key}`;
  }

  #reading(operation: string, flags: Partial<ErrorReading> = {}): ErrorReading {
    return { operation, backend: this.name, bucket: this.#bucket, ...flags };
  }
}
