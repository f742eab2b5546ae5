import { ClaimCheckError, ClaimCheckWarning, isClaimCheckError, type ByteStream, type ObjectStore, type OperationOptions, type PutOptions, type StoreDescription } from '@claimcheck/core';
import { assertBytes } from '@claimcheck/core/store-helpers';
import { decodePayload, encodePayload } from './compression.js';
import { integrityError, sha256Hex } from './integrity.js';
import { assertStoreTakesPrefix } from './key-prefix-support.js';
import { payloadTooLargeError } from './payload-limit.js';
import type { ManagerConfig } from './manager-config.js';
import { ManagerMetrics, type ManagerEvent, type MetricsSnapshot } from './metrics.js';
import { encodeReference, hasReferenceMarker, newReference, parseReference, type Reference } from './reference.js';
import { resolveConfig, type ResolvedConfig } from './resolved-config.js';
import { openBackend, type Backend } from './store-backend.js';
import { utf8ByteLength } from './utf8-length.js';
import { readStoredBlob } from './stored-blob.js';
import { offloadStream, retrieveStream } from './stream-transfer.js';

const context = { backend: 'manager' };

/**
 * Options of `offload` and `offloadStream`. `keyPrefix` goes before the new key (see `PutOptions`); it
 * needs a store whose `capabilities.keyPrefixes` is true, and only applies when the payload is stored.
 */
export interface OffloadOptions extends PutOptions {
  /** Store the payload and return a reference whatever its size, even when the manager is disabled. */
  force?: boolean;
}

/**
 * Creates a manager from `config` (see `configFromEnv` for the environment). The store's package is
 * loaded and the store created now, so a missing package fails here with `BACKEND_NOT_INSTALLED`
 * rather than on the first payload; a disabled manager does so only when it first meets a reference.
 */
export async function createManager(config: ManagerConfig = {}): Promise<ClaimCheckManager> {
  const resolved = resolveConfig(config);
  const backend = resolved.enabled ? await openBackend(resolved.backend) : undefined;
  return construct(resolved, backend);
}

// The constructor is private; createManager reaches it through this, set in the class's static block.
let construct: (config: ResolvedConfig, backend: Backend | undefined) => ClaimCheckManager;

/**
 * Offloads payloads over the threshold to an object store and resolves references back to the exact
 * original bytes. Create it with `createManager`.
 */
export class ClaimCheckManager {
  readonly #config: ResolvedConfig;
  #backend: Promise<Backend> | undefined;
  readonly #metrics = new ManagerMetrics();

  static {
    construct = (config, backend) => new ClaimCheckManager(config, backend);
  }

  private constructor(config: ResolvedConfig, backend: Backend | undefined) {
    this.#config = config;
    this.#backend = backend === undefined ? undefined : Promise.resolve(backend);
  }

  /** The payload itself when it stays inline, otherwise the encoded reference that replaces it. */
  offload(payload: Uint8Array, options: OffloadOptions = {}): Promise<Uint8Array> {
    // The inline path is the hot one, taken for most payloads: no async frame, no copy, no store call.
    if (payload instanceof Uint8Array && options.force !== true && this.#keepsInline(payload, payload.byteLength)) return Promise.resolve(payload);
    return this.#offloadToStore(payload, options);
  }

  /**
   * The synchronous half of `offload`: true when `offload` would return `payload` inline, and then it
   * is counted as `offload` counts it (metrics, `onEvent`); false when it must go through `offload`.
   * A string stands for its UTF-8 encoding, so that a caller holding text need not encode it to learn
   * that it stays inline. For callers whose small messages can't afford an `await` or a copy each.
   */
  tryInline(payload: Uint8Array | string, options: OffloadOptions = {}): boolean {
    if (options.force === true) return false;
    if (typeof payload === 'string') {
      // A UTF-16 unit is at least one UTF-8 byte: a text longer than the threshold isn't measured.
      if (this.#config.enabled && payload.length > this.#config.thresholdBytes) return false;
      return this.#keepsInline(payload, utf8ByteLength(payload));
    }
    return payload instanceof Uint8Array && this.#keepsInline(payload, payload.byteLength);
  }

  async #offloadToStore(payload: Uint8Array, options: OffloadOptions): Promise<Uint8Array> {
    assertBytes(payload, { ...context, operation: 'offload' });
    return this.#tracked('offload', async (started) => {
      if (payload.byteLength > this.#config.maxPayloadBytes) {
        throw payloadTooLargeError('offload', `the payload of ${payload.byteLength} bytes`, this.#config.maxPayloadBytes);
      }
      const store = await this.#requireStore();
      assertStoreTakesPrefix(store, options, 'offload');
      // Compression runs on the thread pool while this thread hashes the same bytes.
      const encoding = encodePayload(payload, this.#config.codec);
      const sha256 = sha256Hex(payload);
      const { stored, encoding: contentEncoding } = await encoding;
      const key = await store.put(stored, options);
      const reference = newReference({ storage: store.name, key, size: payload.byteLength, storedSize: stored.byteLength, encoding: contentEncoding, sha256 });
      this.#emit({
        type: 'offload',
        bytes: payload.byteLength,
        storedBytes: stored.byteLength,
        encoding: contentEncoding,
        key,
        durationMs: elapsed(started),
      });
      return encodeReference(reference);
    });
  }

  /** The original bytes for a reference; anything that is not a reference comes back unchanged. */
  retrieve(data: Uint8Array, options: OperationOptions = {}): Promise<Uint8Array> {
    // As in offload: a payload that is not a reference costs no async frame and no copy.
    if (data instanceof Uint8Array && !hasReferenceMarker(data)) {
      this.#emit({ type: 'passthrough', bytes: data.byteLength });
      return Promise.resolve(data);
    }
    return this.#retrieveFromStore(data, options);
  }

  async #retrieveFromStore(data: Uint8Array, options: OperationOptions): Promise<Uint8Array> {
    assertBytes(data, { ...context, operation: 'retrieve' });
    return this.#tracked('retrieve', async (started) => {
      const reference = parseReference(data);
      // The reference is not signed, so its sizes are claims: the configured bound decides what is affordable.
      const { maxPayloadBytes } = this.#config;
      const claimed = Math.max(reference.size, reference.storedSize);
      if (claimed > maxPayloadBytes) throw payloadTooLargeError('retrieve', `the payload of ${claimed} bytes (as the reference claims)`, maxPayloadBytes);
      const store = await this.#storeFor(reference, 'retrieve');
      const stored = await readStoredBlob(store, reference, options);
      const payload = await decodePayload(stored, reference.encoding, Math.min(reference.size, maxPayloadBytes)).catch((error: unknown) => {
        throw integrityError(reference, `does not decode as ${reference.encoding} to the promised size`, error);
      });
      if (payload.byteLength !== reference.size || sha256Hex(payload) !== reference.sha256) {
        throw integrityError(reference, 'does not match the reference’s size and SHA-256 (corrupted)');
      }
      this.#emit({ type: 'retrieve', bytes: payload.byteLength, storedBytes: stored.byteLength, key: reference.key, durationMs: elapsed(started) });
      return payload;
    });
  }

  /**
   * Like `offload`, for a payload too large to hold in memory: only the first `thresholdBytes + 1`
   * bytes are buffered, to decide between inline and offload; the rest streams to the store. A
   * disabled manager returns the stream inline, so it buffers up to `maxPayloadBytes` and refuses a
   * longer stream.
   */
  offloadStream(source: ByteStream, options: OffloadOptions = {}): Promise<Uint8Array> {
    const { enabled, thresholdBytes, maxPayloadBytes, codec } = this.#config;
    const forced = options.force === true;
    return this.#tracked('offloadStream', async (started) =>
      offloadStream(source, options, {
        thresholdBytes: forced ? -1 : enabled ? thresholdBytes : maxPayloadBytes,
        storesLongerStreams: forced || enabled,
        codec,
        store: () => this.#requireStore(),
        onInline: (bytes) => {
          this.#emit({ type: 'inline', bytes });
        },
        onOffload: (event) => {
          this.#emit({ type: 'offload', ...event, durationMs: elapsed(started) });
        },
      }),
    );
  }

  /**
   * Like `retrieve`, as a stream. Size and SHA-256 are checked as the bytes flow: a mismatch fails the
   * stream with `INTEGRITY` at the point it is found, so treat the data as unverified until it ends.
   */
  retrieveStream(data: Uint8Array, options: OperationOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    if (data instanceof Uint8Array && !hasReferenceMarker(data)) {
      this.#emit({ type: 'passthrough', bytes: data.byteLength });
      return Promise.resolve(single(data));
    }
    // Every failure, a bad argument included, is a rejection, counted in the metrics.
    return this.#tracked('retrieveStream', async (started) => {
      assertBytes(data, { ...context, operation: 'retrieveStream' });
      const reference = parseReference(data);
      const store = await this.#storeFor(reference, 'retrieveStream');
      return retrieveStream(reference, await store.getStream(reference.key, options), {
        onComplete: (storedBytes) => {
          this.#emit({ type: 'retrieve', bytes: reference.size, storedBytes, key: reference.key, durationMs: elapsed(started) });
        },
        onError: (error) => {
          this.#emitError('retrieveStream', error, started);
        },
      });
    });
  }

  /** Deletes the blob behind a reference; deleting one that is already gone succeeds. */
  delete(reference: Uint8Array | string, options: OperationOptions = {}): Promise<void> {
    return this.#tracked('delete', async (started) => {
      const parsed = parseReference(reference);
      await (await this.#storeFor(parsed, 'delete')).delete(parsed.key, options);
      this.#emit({ type: 'delete', key: parsed.key, durationMs: elapsed(started) });
    });
  }

  /** Resolves when the configured store is usable. */
  health(options: OperationOptions = {}): Promise<void> {
    return this.#tracked('health', async () => (await this.#requireStore()).health(options));
  }

  /** A copy of the counters: offloaded, inline, retrieved, bytes, compression ratio, errors by code, latency. */
  metrics(): MetricsSnapshot {
    return this.#metrics.snapshot();
  }

  /** The store in use, once one has been created. */
  get store(): Promise<ObjectStore> {
    return this.#requireStore();
  }

  /** What the store is and where it keeps its blobs, safe to print: the provider's description, secrets masked. */
  async describeStore(): Promise<StoreDescription> {
    return (await this.#openBackend()).description;
  }

  /** Closes the store. */
  async close(): Promise<void> {
    const backend = await this.#backend?.catch(() => undefined);
    await backend?.store.close();
  }

  // True, and counted, when the payload stays inline.
  #keepsInline(payload: Uint8Array | string, byteLength: number): boolean {
    // A small payload that starts like a reference is offloaded anyway, so retrieve can never mistake it.
    const inline = !this.#config.enabled || (byteLength <= this.#config.thresholdBytes && !hasReferenceMarker(payload));
    if (inline) this.#emit({ type: 'inline', bytes: byteLength });
    return inline;
  }

  // A disabled manager creates its store only when it meets a reference, so it needs no backend otherwise.
  async #requireStore(): Promise<ObjectStore> {
    return (await this.#openBackend()).store;
  }

  #openBackend(): Promise<Backend> {
    this.#backend ??= openBackend(this.#config.backend);
    return this.#backend;
  }

  async #storeFor(reference: Reference, operation: string): Promise<ObjectStore> {
    const store = await this.#requireStore();
    if (reference.storage !== store.name) {
      throw new ClaimCheckError({
        ...context,
        code: 'INVALID_CONFIG',
        operation,
        detail: `the reference points to ${reference.storage} storage, but this manager uses ${store.name}`,
      });
    }
    return store;
  }

  async #tracked<T>(operation: string, body: (started: number) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await body(started);
    } catch (error) {
      this.#emitError(operation, error, started);
      throw error;
    }
  }

  #emitError(operation: string, error: unknown, started: number): void {
    if (!isClaimCheckError(error)) return;
    this.#emit({ type: 'error', operation, code: error.code, durationMs: elapsed(started), error });
  }

  #emit(event: ManagerEvent): void {
    this.#metrics.record(event);
    if (this.#config.onEvent === undefined) return;
    try {
      this.#config.onEvent(event);
    } catch (error) {
      // A metrics hook must never change a result: the blob is stored either way. Say so, loudly.
      const detail = `onEvent hook threw on a ${event.type} event: ${String(error)}`;
      try {
        this.#config.onWarning(new ClaimCheckWarning({ code: 'HOOK_FAILED', backend: 'manager', detail, cause: error }));
      } catch {
        // The warning handler is the caller's too; its failure must not change a result either.
      }
    }
  }
}

function elapsed(started: number): number {
  return performance.now() - started;
}

async function* single(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}
