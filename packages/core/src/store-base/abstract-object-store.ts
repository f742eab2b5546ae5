import { assertBytes, checkedChunks } from '../bytes.js';
import { ClaimCheckError } from '../errors.js';
import type { BlobInfo, ByteStream, ObjectStore, OperationOptions, PutOptions, StoreCapabilities } from '../object-store.js';
import { abortedError, type OperationContext } from '../operation-guard.js';
import { assertKeyPrefix, assertStoreKey, generateKey } from '../store-key.js';
import { ClaimCheckWarning, emitProcessWarning } from '../warnings.js';
import { GuardedStream } from './guarded-stream.js';
import { InFlight } from './in-flight.js';
import { OperationScope, type StoreOperation } from './operation-scope.js';

/** Options every store on the base accepts next to its own. */
export interface StoreBaseOptions {
  /**
   * How long `close()` waits for operations in flight before it cancels them with `CLOSED`; it then
   * waits as long again for them to stop. Default 5 000.
   */
  closeTimeoutMs?: number | undefined;
  /** Receives what cannot be reported through a rejection, such as a failed cleanup. Default: `process.emitWarning`. */
  onWarning?: ((warning: ClaimCheckWarning) => void) | undefined;
}

/** How long `close()` waits by default, in milliseconds. */
export const defaultCloseTimeoutMs = 5000;

/**
 * The base every store extends, after Level's `abstract-level`. Its public methods run the contract's
 * checks in order (`CLOSED`, `ABORTED`, `INVALID_KEY`, `INVALID_PAYLOAD`), generate keys, make the
 * caller's source abort-aware, settle the moment the caller aborts, and track what runs so that
 * `close()` can wait for it or cancel it. A store writes only the protected `_` primitives.
 */
export abstract class AbstractObjectStore implements ObjectStore {
  abstract readonly name: string;
  abstract readonly capabilities: StoreCapabilities;
  readonly #inFlight = new InFlight();
  // The operations that have not settled yet: close() cancels them.
  readonly #live = new Set<OperationScope>();
  readonly #closeTimeoutMs: number;
  readonly #onWarning: (warning: ClaimCheckWarning) => void;
  #closing: Promise<void> | undefined;

  /**
   * Checks the base's options (`INVALID_CONFIG`). `backend` is the store's name for that error, which
   * comes before the subclass has set `name`; left out, the class's name stands in.
   */
  protected constructor({ closeTimeoutMs = defaultCloseTimeoutMs, onWarning = emitProcessWarning }: StoreBaseOptions = {}, backend?: string) {
    if (typeof closeTimeoutMs !== 'number' || !Number.isFinite(closeTimeoutMs) || closeTimeoutMs < 0) {
      const detail = `closeTimeoutMs must be a non-negative number of milliseconds, got ${String(closeTimeoutMs)}`;
      throw new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend: backend ?? new.target.name, detail });
    }
    this.#closeTimeoutMs = closeTimeoutMs;
    this.#onWarning = onWarning;
  }

  /** Writes `data` under `key`; when it rejects, nothing may be stored under `key`. */
  protected abstract _put(key: string, data: Uint8Array, operation: StoreOperation): Promise<void>;
  /** Writes the already checked, abort-aware `source` under `key`; when it rejects, nothing may be stored. */
  protected abstract _putStream(key: string, source: AsyncIterable<Uint8Array>, operation: StoreOperation): Promise<void>;
  /** Returns a copy of the blob under `key`, or rejects with `NOT_FOUND`. */
  protected abstract _get(key: string, operation: StoreOperation): Promise<Uint8Array>;
  /** Returns the blob's chunks; rejects with `NOT_FOUND` before yielding when there is none. */
  protected abstract _getStream(key: string, operation: StoreOperation): Promise<AsyncIterable<Uint8Array>>;
  /**
   * The blob's `BlobInfo`, or `NOT_FOUND`. The default walks `_listEntries`, which every store has:
   * correct but as slow as a listing, so a store with a cheap lookup (stat, HEAD) overrides it.
   */
  protected async _head(key: string, operation: StoreOperation): Promise<BlobInfo> {
    for await (const entry of this._listEntries(operation)) {
      if (entry.key === key) return entry;
    }
    throw new ClaimCheckError({ code: 'NOT_FOUND', operation: operation.operation, backend: operation.backend, detail: `key ${key} not found` });
  }
  /** Deletes the blob; a missing one is not an error. */
  protected abstract _delete(key: string, operation: StoreOperation): Promise<void>;
  /** Resolves when the store is usable. */
  protected abstract _health(operation: StoreOperation): Promise<void>;
  /** Yields every stored blob once. */
  protected abstract _listEntries(operation: StoreOperation): AsyncIterable<BlobInfo>;
  /** Releases the store's resources; runs once, after everything in flight has stopped. */
  protected _close(): Promise<void> {
    return Promise.resolve();
  }

  /** Stores the bytes under a new unique key (after `keyPrefix`, when given) and returns the key. */
  put(data: Uint8Array, options: PutOptions = {}): Promise<string> {
    return this.#write('put', options, (key, operation) => {
      assertBytes(data, operation);
      return this._put(key, data, operation);
    });
  }

  /** Stores a stream under a new unique key; a failed or aborted stream stores nothing. */
  putStream(source: ByteStream, options: PutOptions = {}): Promise<string> {
    return this.#write('putStream', options, (key, operation) =>
      this._putStream(key, checkedChunks(source, operation.signal, operation), operation),
    );
  }

  /** Returns the bytes stored under `key`; `NOT_FOUND` when there are none. */
  get(key: string, options: OperationOptions = {}): Promise<Uint8Array> {
    return this.#run('get', options, (operation) => {
      this.#assertKey(key, operation.operation);
      return this._get(key, operation);
    });
  }

  /** The blob's key, size and modification time, without reading it; `NOT_FOUND` when there is none. */
  head(key: string, options: OperationOptions = {}): Promise<BlobInfo> {
    return this.#run('head', options, (operation) => {
      this.#assertKey(key, operation.operation);
      return this._head(key, operation);
    });
  }

  /** Deletes the blob; deleting a missing key succeeds. */
  delete(key: string, options: OperationOptions = {}): Promise<void> {
    return this.#run('delete', options, (operation) => {
      this.#assertKey(key, operation.operation);
      return this._delete(key, operation);
    });
  }

  /** Resolves when the store is usable. */
  health(options: OperationOptions = {}): Promise<void> {
    return this.#run('health', options, (operation) => this._health(operation));
  }

  /** Streams the blob; `NOT_FOUND` before the first chunk when there is none. */
  async getStream(key: string, options: OperationOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const scope = this.#begin('getStream', options);
    try {
      this.#assertKey(key, 'getStream');
      const chunks = await scope.race(this.#inFlight.track(this._getStream(key, scope.operation)));
      return this.#guarded(chunks, scope);
    } catch (error) {
      scope.dispose();
      throw error;
    }
  }

  /** Yields every stored key once, derived from `listEntries`. */
  async *listKeys(options: OperationOptions = {}): AsyncGenerator<string> {
    for await (const { key } of this.#listing('listKeys', options)) yield key;
  }

  /** Yields every stored blob's key, size and modification time once. */
  listEntries(options: OperationOptions = {}): AsyncGenerator<BlobInfo> {
    return this.#listing('listEntries', options);
  }

  /**
   * Later operations reject with `CLOSED`. Waits up to `closeTimeoutMs` for those in flight, cancels
   * the rest with `CLOSED`, waits as long again for them to stop, then releases the store. Calling it
   * again returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  /**
   * Deletes what a failed write may have left under `key`, without making the caller wait. `close()`
   * waits for it; a failure is reported as a `CLEANUP_FAILED` warning naming the key.
   */
  protected discardInBackground(key: string, operation: OperationContext): void {
    const cleanup = { ...operation, signal: new AbortController().signal };
    void this.#inFlight.track(
      this._delete(key, cleanup).catch((error: unknown) => {
        const detail = `could not remove what a failed ${operation.operation} may have left under ${key}: ${String(error)}`;
        this.warn(new ClaimCheckWarning({ code: 'CLEANUP_FAILED', backend: this.name, detail, key, cause: error }));
      }),
    );
  }

  /**
   * Runs a store's own extra operation (a sweep, say) as the public methods run theirs: checked for
   * `CLOSED` and `ABORTED` first, settled at once on abort, and waited for by `close()`.
   */
  protected operate<T>(name: string, options: OperationOptions, body: (operation: StoreOperation) => Promise<T>): Promise<T> {
    return this.#run(name, options, body);
  }

  /** Hands a warning to the `onWarning` option; a throwing handler cannot break the store. */
  protected warn(warning: ClaimCheckWarning): void {
    try {
      this.#onWarning(warning);
    } catch {
      // The handler is the caller's; its failure must not turn into ours.
    }
  }

  async #shutDown(): Promise<void> {
    if (!(await this.#inFlight.settled(this.#closeTimeoutMs))) {
      const running = this.#inFlight.size;
      // The reason an aborted AbortController gives, as the operations' signals carried before.
      const reason = new DOMException('This operation was aborted', 'AbortError');
      for (const scope of [...this.#live]) scope.cancel(reason);
      const stopped = await this.#inFlight.settled(this.#closeTimeoutMs);
      const detail = `close cancelled ${running} operation(s) still running after ${this.#closeTimeoutMs} ms${stopped ? '' : '; some did not stop'}`;
      this.warn(new ClaimCheckWarning({ code: 'CLOSE_INCOMPLETE', backend: this.name, detail }));
    }
    await this._close();
  }

  // INVALID_KEY for what this store could not have generated, prefixed keys included when it takes them.
  #assertKey(key: string, operation: string): void {
    assertStoreKey(key, operation, this.name, this.capabilities.keyPrefixes === true);
  }

  // CLOSED, then ABORTED: the checks every operation starts with.
  #begin(operation: string, { signal }: OperationOptions): OperationScope {
    if (this.#closing !== undefined) throw new ClaimCheckError({ operation, backend: this.name, code: 'CLOSED', detail: 'store is closed' });
    if (signal?.aborted === true) throw abortedError(signal, { operation, backend: this.name });
    return new OperationScope(operation, this.name, signal, this.#live);
  }

  // Not async functions: the operation settles straight from the primitive's promise, with no
  // further promise in between (each costs a turn of the microtask queue on every call).
  #run<T>(name: string, options: OperationOptions, primitive: (operation: StoreOperation) => Promise<T>): Promise<T> {
    return this.#started(name, options, (scope) => scope.finish(this.#inFlight.track(attempt(() => primitive(scope.operation)))));
  }

  #write(name: string, options: PutOptions, primitive: (key: string, operation: StoreOperation) => Promise<void>): Promise<string> {
    return this.#started(name, options, (scope) => {
      const { keyPrefix } = options;
      if (keyPrefix !== undefined) {
        try {
          assertKeyPrefix(keyPrefix, name, this.name, this.capabilities.keyPrefixes === true);
        } catch (error) {
          scope.dispose();
          return Promise.reject(error); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- a ClaimCheckError
        }
      }
      const key = generateKey(keyPrefix);
      const written = this.#inFlight.track(attempt(() => primitive(key, scope.operation)));
      return scope.finish(written).then(
        () => key,
        (error: unknown) => {
          // The caller was told it failed; a primitive that still finishes its write leaves a blob nobody owns.
          if (scope.cancelled) written.then(() => { this.discardInBackground(key, scope.operation); }, () => undefined);
          throw error;
        },
      );
    });
  }

  // #begin's checks, turned into a rejection as an async function would, then `body`.
  #started<T>(name: string, options: OperationOptions, body: (scope: OperationScope) => Promise<T>): Promise<T> {
    let scope: OperationScope;
    try {
      scope = this.#begin(name, options);
    } catch (error) {
      return Promise.reject(error); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- what #begin throws is a ClaimCheckError
    }
    return body(scope);
  }

  async *#listing(name: string, options: OperationOptions): AsyncGenerator<BlobInfo> {
    const scope = this.#begin(name, options);
    yield* this.#guarded(this._listEntries(scope.operation), scope);
  }

  // The store's iterable, made to stop at once on abort or close, and counted as in flight from now
  // until it ends: close() waits for a stream being read, and cancels one that is not.
  #guarded<T>(source: AsyncIterable<T>, scope: OperationScope): GuardedStream<T> {
    const iterator = source[Symbol.asyncIterator]();
    let finish!: () => void;
    void this.#inFlight.track(new Promise<void>((resolve) => (finish = resolve)));
    const { signal } = scope.operation;
    const cancel = () => {
      finish();
      attempt(async () => iterator.return?.()).catch(() => undefined);
    };
    signal.addEventListener('abort', cancel, { once: true });
    const release = () => {
      signal.removeEventListener('abort', cancel);
      scope.dispose();
      finish();
    };
    return new GuardedStream(iterator, scope, release);
  }
}

// Runs `body`, turning a synchronous throw into a rejection.
function attempt<T>(body: () => Promise<T>): Promise<T> {
  try {
    return body();
  } catch (error) {
    return Promise.reject(error); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- rethrows what body threw, whatever it is
  }
}
