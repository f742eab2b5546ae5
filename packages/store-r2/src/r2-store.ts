import { inspect } from 'node:util';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import {
  AbstractObjectStore,
  type BlobInfo,
  ClaimCheckWarning,
  isNotFoundError,
  type StoreCapabilities,
  type StoreOperation,
} from '@claimcheck/core';
import { objectNamer, throwIfAborted } from '@claimcheck/core/store-helpers';
import { largestBuffer, readObjectWithin } from './bounded-object-read.js';
import { listStoreEntries } from './key-listing.js';
import { type OpenMultipartUpload, UploadFailure, uploadStream } from './multipart-upload.js';
import { resolveOptions, type R2StoreOptions } from './r2-store-options.js';
import { streamedBody, type ResponseBody } from './response-body.js';
import { createS3Client } from './s3-client.js';
import { type ErrorReading, mayHaveWritten, toStoreError } from './s3-error.js';
import { untilBodySent } from './sliced-body.js';
import { type ResolvedLimits, resolveLimits } from './store-limits.js';
import { sendWithin, type S3Command, type WaitLimit } from './wait-deadline.js';

/**
 * An `ObjectStore` on Cloudflare R2 or any S3-compatible service. Each blob is one object named
 * `${keyPrefix}${key}`, stored as opaque `application/octet-stream` without a `Content-Encoding`;
 * a key put under a `PutOptions.keyPrefix` (`ns/default/<uuid>`) is named the same way, so its
 * object sits under `${keyPrefix}ns/default/`, where a lifecycle rule can reach it.
 * The checks, aborts and `close()` come from `AbstractObjectStore`; this class writes the S3 calls.
 */
export class R2Store extends AbstractObjectStore {
  readonly name = 'r2';
  /** S3 streams both ways, a PutObject that succeeded is durable, and object names take `/`-separated key prefixes. */
  readonly capabilities: StoreCapabilities = Object.freeze({ streaming: true, durableWrites: true, keyPrefixes: true });
  readonly #bucket: string;
  readonly #keyPrefix: string;
  readonly #nameOf: (key: string, context: StoreOperation) => string;
  readonly #endpoint: string | undefined;
  // Private fields: util.inspect and JSON never see the client, which holds the credentials.
  readonly #client: S3Client;
  readonly #ownsClient: boolean;
  readonly #limits: ResolvedLimits;
  // The putStreams still running: close() lets their uploads be aborted before it destroys the client.
  readonly #uploads = new Set<Promise<unknown>>();

  /** Checks the options (`INVALID_CONFIG` names every missing or malformed one) and builds the client. */
  constructor(options: R2StoreOptions) {
    const { limits, problems } = resolveLimits(options);
    const resolved = resolveOptions(options, problems);
    super({ closeTimeoutMs: options.closeTimeoutMs, onWarning: options.onWarning }, 'r2');
    this.#limits = limits;
    this.#bucket = resolved.bucket;
    this.#keyPrefix = resolved.keyPrefix;
    this.#nameOf = objectNamer(resolved.keyPrefix);
    this.#endpoint = resolved.connection?.endpoint;
    this.#ownsClient = resolved.client === undefined;
    this.#client = resolved.client === undefined ? createS3Client(resolved.connection) : resolved.client;
  }

  /** One PutObject. The buffer must not change until `put` settles. */
  protected async _put(key: string, data: Uint8Array, operation: StoreOperation): Promise<void> {
    const write = untilBodySent(operation.signal);
    const command = new PutObjectCommand({
      Bucket: this.#bucket,
      Key: this.#objectName(key, operation),
      Body: data,
      ContentLength: data.byteLength,
      ContentType: 'application/octet-stream',
    });
    try {
      await sendWithin(this.#client, command, { signal: write.signal, limit: this.#waitLimit(), sliceBody: true, onBodySent: write.sent });
    } catch (error) {
      // The response may be lost after the server stored the object: only this store knows the key.
      if (mayHaveWritten(error)) this.discardInBackground(key, operation);
      throw toStoreError(error, this.#reading(operation));
    }
  }

  /**
   * Streams the source up in parts of `partSizeBytes`, `partsInFlight` at once (`uploadStream`), so
   * memory stays bounded whatever the length. When it fails, the multipart upload is aborted once
   * its parts have settled, and an object that may have been completed is deleted.
   */
  protected _putStream(key: string, source: AsyncIterable<Uint8Array>, operation: StoreOperation): Promise<void> {
    const upload = this.#streamUp(key, source, operation);
    const tracked = upload.catch(() => undefined);
    this.#uploads.add(tracked);
    void tracked.then(() => this.#uploads.delete(tracked));
    return upload;
  }

  async #streamUp(key: string, source: AsyncIterable<Uint8Array>, operation: StoreOperation): Promise<void> {
    const target = { client: this.#client, bucket: this.#bucket, objectName: this.#objectName(key, operation) };
    const { partSizeBytes, partsInFlight } = this.#limits;
    try {
      await uploadStream(source, target, operation.signal, { partSizeBytes, partsInFlight, limit: this.#waitLimit() });
    } catch (error) {
      if (!(error instanceof UploadFailure)) throw toStoreError(error, this.#reading(operation));
      const { openUpload, reason, mayHaveStored } = error;
      if (openUpload !== undefined) await this.#abandon(openUpload, key, operation);
      if (mayHaveStored) this.discardInBackground(key, operation);
      throw toStoreError(reason, this.#reading(operation));
    }
  }

  /**
   * GetObject through the bounded read the S3 layer shares: `NOT_FOUND` when there is none, an error
   * if the body comes up short, `PAYLOAD_TOO_LARGE` (before the body is read) past what one buffer holds.
   */
  protected _get(key: string, operation: StoreOperation): Promise<Uint8Array> {
    const read = { client: this.#client, bucket: this.#bucket, key: this.#objectName(key, operation), maxBytes: largestBuffer, signal: operation.signal };
    return readObjectWithin(read, { ...this.#reading(operation), missingObjectIsNotFound: true, key }, this.#waitLimit());
  }

  /** GetObject, its body streamed as it arrives; `NOT_FOUND` before the first chunk when there is none. */
  protected async _getStream(key: string, operation: StoreOperation): Promise<AsyncIterable<Uint8Array>> {
    const reading = this.#reading(operation);
    const response = await this.#getObject(key, operation);
    return streamedBody(response.Body as ResponseBody | undefined, response.ContentLength, reading, operation.signal);
  }

  /**
   * HeadObject. A HEAD answer has no body, so a 404 cannot say whether the object or the bucket is
   * missing: on a 404 a HeadBucket tells them apart (`INVALID_CONFIG` for the bucket, as `get` says).
   */
  protected override async _head(key: string, operation: StoreOperation): Promise<BlobInfo> {
    const command = new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key, operation) });
    const reading = { ...this.#reading(operation), missingObjectIsNotFound: true, key };
    try {
      const head = await this.#send(reading, operation.signal, command);
      return { key, size: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFoundError(error)) await this._health(operation);
      throw error;
    }
  }

  /** DeleteObject; a missing one is not an error. */
  protected async _delete(key: string, operation: StoreOperation): Promise<void> {
    const command = new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key, operation) });
    try {
      await this.#send({ ...this.#reading(operation), missingObjectIsNotFound: true }, operation.signal, command);
    } catch (error) {
      // S3 answers 204 for a missing object; a server that says NoSuchKey means the same.
      if (!isNotFoundError(error)) throw error;
    }
  }

  /**
   * HeadBucket: `INVALID_CONFIG` when the bucket does not exist, `UNAUTHORIZED` when the credentials
   * are rejected, `UNAVAILABLE` when the endpoint cannot be reached, `TIMEOUT` when it does not answer.
   */
  protected async _health(operation: StoreOperation): Promise<void> {
    const command = new HeadBucketCommand({ Bucket: this.#bucket });
    const reading = { ...this.#reading(operation), notFoundIsMissingBucket: true };
    await this.#send(reading, operation.signal, command, { timeoutMs: this.#limits.healthTimeoutMs, option: 'healthTimeoutMs' });
  }

  /**
   * ListObjectsV2 under this store's prefix, one page (up to 1000 keys) at a time, with each object's
   * Size and LastModified. No delimiter: keys put under a key prefix sit in folders below it.
   */
  protected _listEntries(operation: StoreOperation): AsyncIterable<BlobInfo> {
    const reading = this.#reading(operation);
    const fetchPage = (token: string | undefined) => {
      const command = new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: this.#keyPrefix, ContinuationToken: token });
      return this.#send(reading, operation.signal, command);
    };
    return listStoreEntries(fetchPage, this.#keyPrefix, reading, () => {
      throwIfAborted(operation.signal, reading);
    });
  }

  /**
   * Releases the client's connections, unless the client was injected. The uploads close() cancelled
   * are aborted on the server first, each request of that bounded by `waitTimeoutMs`.
   */
  protected override async _close(): Promise<void> {
    await Promise.all(this.#uploads);
    if (this.#ownsClient) this.#client.destroy();
  }

  /** Names the bucket, endpoint and prefix; never the credentials. */
  override toString(): string {
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

  #getObject(key: string, operation: StoreOperation) {
    const command = new GetObjectCommand({ Bucket: this.#bucket, Key: this.#objectName(key, operation) });
    const reading = { ...this.#reading(operation), missingObjectIsNotFound: true, key };
    return this.#send(reading, operation.signal, command);
  }

  // Runs one S3 call with the operation's signal, under the wait deadline, and maps its failure.
  async #send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    reading: ErrorReading,
    signal: AbortSignal,
    command: S3Command<I, O>,
    limit: WaitLimit = this.#waitLimit(),
  ): Promise<O> {
    try {
      return await sendWithin(this.#client, command, { signal, limit });
    } catch (error) {
      throw toStoreError(error, reading, signal);
    }
  }

  #waitLimit(): WaitLimit {
    return { timeoutMs: this.#limits.waitTimeoutMs, option: 'waitTimeoutMs' };
  }

  // Aborts the multipart upload of a failed putStream: its parts are billed until then.
  async #abandon(upload: OpenMultipartUpload, key: string, operation: StoreOperation): Promise<void> {
    try {
      await upload.abort();
    } catch (error) {
      const objectName = this.#objectName(key, operation);
      const detail = `could not abort multipart upload ${upload.uploadId} of ${objectName} (a failed ${operation.operation} under ${key}); its parts are billed until it is aborted: ${String(error)}`;
      this.warn(new ClaimCheckWarning({ code: 'CLEANUP_FAILED', backend: this.name, detail, key, cause: error }));
    }
  }

  #objectName(key: string, operation: StoreOperation): string {
    return this.#nameOf(key, operation);
  }

  #reading({ operation, backend }: StoreOperation): ErrorReading {
    return { operation, backend, bucket: this.#bucket };
  }
}
