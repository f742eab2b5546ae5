import { AbstractObjectStore, ClaimCheckError, ClaimCheckWarning, type BlobInfo, type StoreBaseOptions, type StoreCapabilities, type StoreOperation } from '@claimcheck/core';
import { objectNamePrefixProblem, objectNamer, throwIfAborted, type OperationContext } from '@claimcheck/core/store-helpers';
import type { R2BucketLike, R2ObjectBodyLike, R2PutOptionsLike } from './r2-binding.js';
import { listBindingEntries } from './r2-listing.js';
import { OpenUploadFailure, uploadStream } from './r2-stream-upload.js';

/** The options of an `R2BindingStore`. */
export interface R2BindingStoreOptions extends StoreBaseOptions {
  /** The R2 binding from the Worker's `env`, for example `env.BUCKET`. */
  bucket: R2BucketLike;
  /** Prepended verbatim to every object name, as `R2Store`'s `keyPrefix`: `${keyPrefix}${key}`. Default `''`. */
  keyPrefix?: string | undefined;
}

// Conditional write: a key is written once, never over an object already there.
const writeOnce: R2PutOptionsLike = { onlyIf: { etagDoesNotMatch: '*' }, httpMetadata: { contentType: 'application/octet-stream' } };

/**
 * An `ObjectStore` on the R2 binding of a Cloudflare Worker, with no S3 client. It names objects as
 * `R2Store` does (`${keyPrefix}${key}`, opaque `application/octet-stream`, a key put under a
 * `PutOptions.keyPrefix` in folders below) and is called `r2` too, so a reference written through
 * the binding in a Worker is read through the S3 API in Node, and back.
 */
export class R2BindingStore extends AbstractObjectStore {
  readonly name = 'r2';
  /** The binding streams both ways, a `put` that resolved is durable, and object names take `/`-separated key prefixes. */
  readonly capabilities: StoreCapabilities = Object.freeze({ streaming: true, durableWrites: true, keyPrefixes: true });
  readonly #bucket: R2BucketLike;
  readonly #keyPrefix: string;
  readonly #objectName: (key: string, context: OperationContext) => string;

  /** Checks the options (`INVALID_CONFIG`). */
  constructor(options: R2BindingStoreOptions) {
    const { bucket, keyPrefix = '' } = options as Partial<R2BindingStoreOptions>;
    const problems: string[] = [];
    if (typeof bucket?.get !== 'function' || typeof bucket.put !== 'function') problems.push('bucket must be an R2 binding (env.BUCKET)');
    const keyPrefixProblem = objectNamePrefixProblem(keyPrefix);
    if (keyPrefixProblem !== undefined) problems.push(keyPrefixProblem);
    if (problems.length > 0) throw new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend: 'r2', detail: problems.join('; ') });
    super({ closeTimeoutMs: options.closeTimeoutMs, onWarning: options.onWarning });
    this.#bucket = bucket as R2BucketLike;
    this.#keyPrefix = keyPrefix;
    // Names as R2Store does: a key whose name would pass 1024 bytes is INVALID_KEY before the binding is called.
    this.#objectName = objectNamer(keyPrefix);
  }

  /** One conditional `put`: it never replaces an object already under the name. */
  protected async _put(key: string, data: Uint8Array, operation: StoreOperation): Promise<void> {
    await this.#call(operation, () => this.#putOnce(key, data, operation));
  }

  /** Streams the source up: one `put` below 8 MiB, else a multipart upload of 8 MiB parts, aborted on failure. */
  protected async _putStream(key: string, source: AsyncIterable<Uint8Array>, operation: StoreOperation): Promise<void> {
    const checkpoint = () => { throwIfAborted(operation.signal, operation); };
    try {
      await uploadStream(this.#bucket, this.#objectName(key, operation), source, {
        putWhole: (data) => this.#putOnce(key, data, operation),
        httpMetadata: writeOnce.httpMetadata,
        checkpoint,
      });
    } catch (error) {
      if (!(error instanceof OpenUploadFailure)) throw this.#failure(operation, error);
      await this.#abandon(error, key, operation);
      throw this.#failure(operation, error.reason);
    }
  }

  /** The whole object; `NOT_FOUND` when there is none, `STORE_FAILURE` when its body is not its size. */
  protected async _get(key: string, operation: StoreOperation): Promise<Uint8Array> {
    return this.#call(operation, async () => {
      const object = await this.#existing(key, operation);
      const data = new Uint8Array(await object.arrayBuffer());
      if (data.byteLength !== object.size) throw this.#shortBody(operation, key, data.byteLength, object.size);
      return data;
    });
  }

  /** The object's body stream; `NOT_FOUND` before the first chunk when there is none. */
  protected async _getStream(key: string, operation: StoreOperation): Promise<AsyncIterable<Uint8Array>> {
    const object = await this.#call(operation, () => this.#existing(key, operation));
    const chunks = this.#checkedBody(object, key, operation);
    let started = false;
    // A generator returned before its first read never runs its `finally`: cancel the body here.
    const stream: AsyncIterableIterator<Uint8Array> = {
      next: () => {
        started = true;
        return chunks.next();
      },
      return: async () => {
        if (!started) await object.body.cancel().catch(() => undefined);
        return chunks.return(undefined);
      },
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  }

  /** The binding's `head`: size and upload time, no body. */
  protected override async _head(key: string, operation: StoreOperation): Promise<BlobInfo> {
    const object = await this.#call(operation, () => this.#bucket.head(this.#objectName(key, operation)));
    if (object === null) throw this.#notFound(operation, key);
    return { key, size: object.size, lastModified: object.uploaded };
  }

  /** `delete`; a missing object is not an error. */
  protected async _delete(key: string, operation: StoreOperation): Promise<void> {
    await this.#call(operation, () => this.#bucket.delete(this.#objectName(key, operation)));
  }

  /** A one-name `list` under the prefix: the binding answers, so the bucket is usable. */
  protected async _health(operation: StoreOperation): Promise<void> {
    await this.#call(operation, () => this.#bucket.list({ prefix: this.#keyPrefix, limit: 1 }));
  }

  /** `list` under the prefix, one page at a time through the cursor, with each object's `size` and `uploaded`. */
  protected _listEntries(operation: StoreOperation): AsyncIterable<BlobInfo> {
    return this.#mappedListing(operation);
  }

  /** Names the prefix; the binding itself has nothing to show. */
  override toString(): string {
    return `R2BindingStore(${JSON.stringify(this.toJSON())})`;
  }

  /** What `JSON.stringify` shows. */
  toJSON(): { name: string; keyPrefix: string } {
    return { name: this.name, keyPrefix: this.#keyPrefix };
  }

  async *#mappedListing(operation: StoreOperation): AsyncGenerator<BlobInfo> {
    try {
      yield* listBindingEntries(this.#bucket, this.#keyPrefix, operation, () => { throwIfAborted(operation.signal, operation); });
    } catch (error) {
      throw this.#failure(operation, error);
    }
  }

  async #putOnce(key: string, data: Uint8Array, operation: StoreOperation): Promise<void> {
    const written = await this.#bucket.put(this.#objectName(key, operation), data, writeOnce);
    if (written === null) {
      throw new ClaimCheckError({ code: 'STORE_FAILURE', operation: operation.operation, backend: this.name, detail: `an object already exists under key ${key}; it was left as it was` });
    }
  }

  async #existing(key: string, operation: StoreOperation): Promise<R2ObjectBodyLike> {
    const object = await this.#bucket.get(this.#objectName(key, operation));
    if (object === null) throw this.#notFound(operation, key);
    return object;
  }

  // The body's chunks as they arrive; a body that ends short of the object's size is an error, not a shorter blob.
  async *#checkedBody(object: R2ObjectBodyLike, key: string, operation: StoreOperation): AsyncGenerator<Uint8Array> {
    const reader = object.body.getReader();
    let received = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read().catch((error: unknown) => { throw this.#failure(operation, error); });
        if (done) break;
        received += value.byteLength;
        yield value;
      }
    } finally {
      reader.releaseLock();
      if (received < object.size) await object.body.cancel().catch(() => undefined);
    }
    if (received !== object.size) throw this.#shortBody(operation, key, received, object.size);
  }

  // Runs one binding call; what it throws becomes a STORE_FAILURE naming the operation, claimcheck errors pass through.
  async #call<T>(operation: StoreOperation, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#failure(operation, error);
    }
  }

  #failure(operation: StoreOperation, error: unknown): ClaimCheckError {
    if (error instanceof ClaimCheckError) return error;
    return new ClaimCheckError({ code: 'STORE_FAILURE', operation: operation.operation, backend: this.name, detail: String(error), cause: error });
  }

  #notFound(operation: StoreOperation, key: string): ClaimCheckError {
    return new ClaimCheckError({ code: 'NOT_FOUND', operation: operation.operation, backend: this.name, detail: `key ${key} not found` });
  }

  #shortBody(operation: StoreOperation, key: string, received: number, size: number): ClaimCheckError {
    return new ClaimCheckError({ code: 'STORE_FAILURE', operation: operation.operation, backend: this.name, detail: `the body of key ${key} had ${received} bytes, its object ${size}` });
  }

  // Aborts a failed multipart upload: its parts are billed until then.
  async #abandon(failure: OpenUploadFailure, key: string, operation: StoreOperation): Promise<void> {
    try {
      await failure.upload.abort();
    } catch (error) {
      const detail = `could not abort the multipart upload of a failed ${operation.operation} under ${key}: ${String(error)}`;
      this.warn(new ClaimCheckWarning({ code: 'CLEANUP_FAILED', backend: this.name, detail, key, cause: error }));
    }
  }
}
