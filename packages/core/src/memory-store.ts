import { assertBytes, collectBytes } from './bytes.js';
import { ClaimCheckError } from './errors.js';
import type { BlobInfo, ByteStream, ObjectStore, OperationOptions, StoreCapabilities } from './object-store.js';
import { beginOperation, throwIfAborted } from './operation-guard.js';
import { assertStoreKey, generateKey } from './store-key.js';

// getStream hands out slices of this size, so consumers see a stream like any other store's.
const streamChunkBytes = 64 * 1024;

/**
 * The reference `ObjectStore`: blobs live in a `Map` for the life of the instance. Use it in tests,
 * examples and as the model a new store is compared against.
 */
export class MemoryStore implements ObjectStore {
  readonly name = 'memory';
  readonly capabilities: StoreCapabilities = Object.freeze({ streaming: false, durableWrites: false });
  readonly #blobs = new Map<string, { data: Uint8Array; lastModified: Date }>();
  #closed = false;

  /** Stores a private copy of `data`; later changes to the caller's buffer do not reach the store. */
  put(data: Uint8Array, options: OperationOptions = {}): Promise<string> {
    return this.#run('put', options, () => {
      assertBytes(data, { operation: 'put', backend: this.name });
      return this.#insert(data.slice());
    });
  }

  /** Returns a copy of the stored bytes. */
  get(key: string, options: OperationOptions = {}): Promise<Uint8Array> {
    return this.#run('get', options, () => this.#lookup(key, 'get').slice());
  }

  /** Deletes the blob; a missing key is not an error. */
  delete(key: string, options: OperationOptions = {}): Promise<void> {
    return this.#run('delete', options, () => {
      assertStoreKey(key, 'delete', this.name);
      this.#blobs.delete(key);
    });
  }

  /** A memory store is always usable until it is closed. */
  health(options: OperationOptions = {}): Promise<void> {
    return this.#run('health', options, () => undefined);
  }

  /** Yields every key stored when iteration reaches it; keys deleted meanwhile are skipped. */
  async *listKeys(options: OperationOptions = {}): AsyncGenerator<string> {
    for await (const { key } of this.#entries('listKeys', options)) yield key;
  }

  /** Yields every blob's key, size and time of the put. */
  listEntries(options: OperationOptions = {}): AsyncGenerator<BlobInfo> {
    return this.#entries('listEntries', options);
  }

  async *#entries(operation: string, { signal }: OperationOptions): AsyncGenerator<BlobInfo> {
    const context = { operation, backend: this.name };
    beginOperation(this.#closed, signal, context);
    for (const [key, { data, lastModified }] of this.#blobs) {
      beginOperation(this.#closed, signal, context);
      yield { key, size: data.byteLength, lastModified };
    }
  }

  /** Buffers the stream, then stores it; a failed or aborted stream stores nothing. */
  async putStream(source: ByteStream, options: OperationOptions = {}): Promise<string> {
    const context = { operation: 'putStream', backend: this.name };
    beginOperation(this.#closed, options.signal, context);
    const data = await collectBytes(source, options.signal, context);
    beginOperation(this.#closed, options.signal, context);
    return this.#insert(data);
  }

  /** Streams a snapshot of the blob in 64 KiB chunks. */
  async getStream(key: string, options: OperationOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const context = { operation: 'getStream', backend: this.name };
    const data = await this.#run('getStream', options, () => this.#lookup(key, 'getStream').slice());
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let offset = 0; offset < data.byteLength; offset += streamChunkBytes) {
        throwIfAborted(options.signal, context);
        yield data.subarray(offset, offset + streamChunkBytes);
      }
    }
    return chunks();
  }

  /** Drops every blob; later operations reject with `CLOSED`. */
  close(): Promise<void> {
    this.#closed = true;
    this.#blobs.clear();
    return Promise.resolve();
  }

  #insert(data: Uint8Array): string {
    const key = generateKey();
    this.#blobs.set(key, { data, lastModified: new Date() });
    return key;
  }

  #lookup(key: string, operation: string): Uint8Array {
    assertStoreKey(key, operation, this.name);
    const blob = this.#blobs.get(key);
    if (blob === undefined) {
      throw new ClaimCheckError({ code: 'NOT_FOUND', operation, backend: this.name, detail: `key ${key} not found` });
    }
    return blob.data;
  }

  // Runs a synchronous body as an operation: closed and abort checks first, every throw a rejection.
  async #run<T>(operation: string, { signal }: OperationOptions, body: () => T): Promise<T> {
    beginOperation(this.#closed, signal, { operation, backend: this.name });
    return body();
  }
}
