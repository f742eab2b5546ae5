import { collectBytes } from './bytes.js';
import { ClaimCheckError } from './errors.js';
import type { BlobInfo, StoreCapabilities } from './object-store.js';
import { throwIfAborted } from './operation-guard.js';
import { AbstractObjectStore, type StoreBaseOptions } from './store-base/abstract-object-store.js';
import type { StoreOperation } from './store-base/operation-scope.js';

// getStream hands out slices of this size, so consumers see a stream like any other store's.
const streamChunkBytes = 64 * 1024;

/**
 * The reference `ObjectStore`: blobs live in a `Map` for the life of the instance. Use it in tests,
 * examples and as the model a new store is compared against.
 */
export class MemoryStore extends AbstractObjectStore {
  readonly name = 'memory';
  readonly capabilities: StoreCapabilities = Object.freeze({ streaming: false, durableWrites: false, keyPrefixes: true });
  readonly #blobs = new Map<string, { data: Uint8Array; lastModified: Date }>();

  /** A store with no blobs; `options` are the base's (`closeTimeoutMs`, `onWarning`). */
  constructor(options: StoreBaseOptions = {}) {
    super(options, 'memory');
  }

  /** Stores a private copy of `data`; later changes to the caller's buffer do not reach the store. */
  protected _put(key: string, data: Uint8Array): Promise<void> {
    this.#blobs.set(key, { data: data.slice(), lastModified: new Date() });
    return Promise.resolve();
  }

  /** Buffers the stream, then stores it; a failed or aborted stream stores nothing. */
  protected async _putStream(key: string, source: AsyncIterable<Uint8Array>, operation: StoreOperation): Promise<void> {
    const data = await collectBytes(source, operation.signal, operation);
    throwIfAborted(operation.signal, operation);
    this.#blobs.set(key, { data, lastModified: new Date() });
  }

  /** Returns a copy of the stored bytes. */
  protected _get(key: string, operation: StoreOperation): Promise<Uint8Array> {
    return Promise.resolve(this.#lookup(key, operation).data.slice());
  }

  /** Streams a snapshot of the blob in 64 KiB chunks. */
  protected _getStream(key: string, operation: StoreOperation): Promise<AsyncIterable<Uint8Array>> {
    const data = this.#lookup(key, operation).data.slice();
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let offset = 0; offset < data.byteLength; offset += streamChunkBytes) {
        yield data.subarray(offset, offset + streamChunkBytes);
      }
    }
    return Promise.resolve(chunks());
  }

  /** The blob's size and time, from the map. */
  protected override _head(key: string, operation: StoreOperation): Promise<BlobInfo> {
    const { data, lastModified } = this.#lookup(key, operation);
    return Promise.resolve({ key, size: data.byteLength, lastModified });
  }

  /** Deletes the blob; a missing key is not an error. */
  protected _delete(key: string): Promise<void> {
    this.#blobs.delete(key);
    return Promise.resolve();
  }

  /** A memory store is always usable until it is closed. */
  protected _health(): Promise<void> {
    return Promise.resolve();
  }

  /** Yields every blob stored when iteration reaches it; blobs deleted meanwhile are skipped. */
  protected async *_listEntries(): AsyncGenerator<BlobInfo> {
    for (const [key, { data, lastModified }] of this.#blobs) yield { key, size: data.byteLength, lastModified };
  }

  /** Drops every blob. */
  protected override _close(): Promise<void> {
    this.#blobs.clear();
    return Promise.resolve();
  }

  #lookup(key: string, { operation, backend }: StoreOperation): { data: Uint8Array; lastModified: Date } {
    const blob = this.#blobs.get(key);
    if (blob === undefined) throw new ClaimCheckError({ code: 'NOT_FOUND', operation, backend, detail: `key ${key} not found` });
    return blob;
  }
}
