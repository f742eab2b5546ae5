// Deliberately broken MemoryStore variants: each breaks one promise of the contract, and the
// conformance suite must notice. `expectedFailure` names a case that has to fail for each.
import {
  ClaimCheckError,
  generateKey,
  isNotFoundError,
  isStoreKey,
  MemoryStore,
  type BlobInfo,
  type ByteStream,
  type PutOptions,
  type OperationOptions,
  type StoreCapabilities,
} from '../../src/index.js';
import { collectBytes } from '../../src/store-helpers.js';

const MiB = 1024 * 1024;
// The suite's close case waits for a stalled write until the store gives up on it: keep that short.
const quickClose = { closeTimeoutMs: 100 };
// Above the 3 s the suite gives close() once streams were closed.
const heldStreamClose = { closeTimeoutMs: 3500 };

class TruncatesLargeValues extends MemoryStore {
  override put(data: Uint8Array, options?: OperationOptions) {
    return super.put(data.byteLength > MiB ? data.subarray(0, MiB) : data, options);
  }
}

class DeleteThrowsOnMissingKey extends MemoryStore {
  override async delete(key: string, options?: OperationOptions) {
    await super.get(key, options);
    await super.delete(key, options);
  }
}

class EmptyBytesForMissingKey extends MemoryStore {
  override get(key: string, options?: OperationOptions) {
    return super.get(key, options).catch((error: unknown) => {
      if (isNotFoundError(error)) return new Uint8Array(0);
      throw error;
    });
  }
}

class ListsAKeyTwice extends MemoryStore {
  override async *listKeys(options?: OperationOptions) {
    let first = true;
    for await (const key of super.listKeys(options)) {
      yield key;
      if (first) yield key;
      first = false;
    }
  }
}

class ReusesKeysUnderConcurrency extends MemoryStore {
  #lastKey: string | undefined;
  #inFlight = 0;
  readonly #aliases = new Map<string, string>();

  override async put(data: Uint8Array, options?: OperationOptions) {
    this.#inFlight++;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      const key = await super.put(data, options);
      if (this.#inFlight > 1 && this.#lastKey !== undefined) {
        this.#aliases.set(this.#lastKey, key);
        return this.#lastKey;
      }
      return (this.#lastKey = key);
    } finally {
      this.#inFlight--;
    }
  }

  override get(key: string, options?: OperationOptions) {
    return super.get(this.#aliases.get(key) ?? key, options);
  }
}

class MisreportsHeadSizes extends MemoryStore {
  override async head(key: string, options?: OperationOptions) {
    const info = await super.head(key, options);
    return { ...info, size: info.size + 1 };
  }
}

// Answers head for any key, as a store that builds the info from the key alone would.
class HeadInventsMissingBlobs extends MemoryStore {
  override head(key: string, options?: OperationOptions) {
    return super.head(key, options).catch((error: unknown) => {
      if (isNotFoundError(error)) return { key, size: 0, lastModified: new Date() };
      throw error;
    });
  }
}

class HeadSkipsKeyChecks extends MemoryStore {
  override head(key: string, options?: OperationOptions) {
    return isStoreKey(key) ? super.head(key, options) : Promise.reject(missing('head', key));
  }
}

// A store whose stream wrapper swallows return(): the stream stays in flight until close() gives up.
class KeepsClosedStreamsOpen extends MemoryStore {
  override async getStream(key: string, options?: OperationOptions) {
    const inner = (await super.getStream(key, options))[Symbol.asyncIterator]();
    return iterableOf({ next: () => inner.next(), return: () => Promise.resolve(streamEnd) });
  }
}

// Ends a stream once the blob's size was delivered, without reading the store's iterator to its end.
class StopsStreamsAtTheirSize extends MemoryStore {
  override async getStream(key: string, options?: OperationOptions) {
    const { size } = await super.head(key, options);
    const inner = (await super.getStream(key, options))[Symbol.asyncIterator]();
    let delivered = 0;
    const next = async (): Promise<IteratorResult<Uint8Array, undefined>> => {
      if (delivered >= size) return streamEnd;
      const result = await inner.next();
      if (result.done !== true) delivered += result.value.byteLength;
      return result;
    };
    return iterableOf({ next, return: () => Promise.resolve(streamEnd) });
  }
}

const streamEnd: IteratorReturnResult<undefined> = { done: true, value: undefined };

function iterableOf(iterator: AsyncIterator<Uint8Array, undefined>): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => iterator };
}

// Treats any key with `..` as simply missing instead of refusing it.
class AcceptsParentPaths extends MemoryStore {
  override get(key: string, options?: OperationOptions) {
    return key.includes('..') ? Promise.reject(missing('get', key)) : super.get(key, options);
  }
  override getStream(key: string, options?: OperationOptions) {
    return key.includes('..') ? Promise.reject(missing('getStream', key)) : super.getStream(key, options);
  }
  override delete(key: string, options?: OperationOptions) {
    return key.includes('..') ? Promise.resolve() : super.delete(key, options);
  }
}

// Files every blob at the root: a lifecycle rule on the prefix would never see it.
class IgnoresKeyPrefixes extends MemoryStore {
  override put(data: Uint8Array, options: PutOptions = {}) {
    return super.put(data, withoutPrefix(options));
  }
  override putStream(source: ByteStream, options: PutOptions = {}) {
    return super.putStream(source, withoutPrefix(options));
  }
}

// Lets `..` through by rewriting it, so a prefix could climb out of a store's folder.
class AcceptsParentPrefixes extends MemoryStore {
  override put(data: Uint8Array, options: PutOptions = {}) {
    return super.put(data, { ...options, ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix.replaceAll('..', 'up') }) });
  }
}

function withoutPrefix(options: PutOptions): OperationOptions {
  return options.signal === undefined ? {} : { signal: options.signal };
}

class AcceptsUpperCaseKeys extends MemoryStore {
  override get(key: string, options?: OperationOptions) {
    return super.get(key.toLowerCase(), options);
  }
  override getStream(key: string, options?: OperationOptions) {
    return super.getStream(key.toLowerCase(), options);
  }
  override delete(key: string, options?: OperationOptions) {
    return super.delete(key.toLowerCase(), options);
  }
}

class IgnoresAbortSignals extends MemoryStore {
  override put(data: Uint8Array) {
    return super.put(data);
  }
  override get(key: string) {
    return super.get(key);
  }
}

class UsableAfterClose extends MemoryStore {
  override close() {
    return Promise.resolve();
  }
}

class ListsTempFiles extends MemoryStore {
  override async *listKeys(options?: OperationOptions) {
    for await (const key of super.listKeys(options)) {
      yield key;
      yield `.tmp-${key}`;
    }
  }
}

// Makes a blob visible under its key while putStream is still writing it.
class WritesInPlace extends MemoryStore {
  readonly #partial = new Map<string, Uint8Array>();

  override async putStream(source: ByteStream) {
    const key = generateKey();
    let data = new Uint8Array(0);
    for await (const chunk of source) {
      const grown = new Uint8Array(data.byteLength + chunk.byteLength);
      grown.set(data);
      grown.set(chunk, data.byteLength);
      this.#partial.set(key, (data = grown));
    }
    return key;
  }
  override async *listKeys(options?: OperationOptions) {
    yield* super.listKeys(options);
    yield* this.#partial.keys();
  }
  override get(key: string, options?: OperationOptions) {
    const partial = this.#partial.get(key);
    return partial ? Promise.resolve(partial.slice()) : super.get(key, options);
  }
}

class KeepsPartialStreamOnFailure extends MemoryStore {
  override async putStream(source: ByteStream, options?: OperationOptions) {
    const chunks: Uint8Array[] = [];
    try {
      for await (const chunk of source) chunks.push(chunk);
    } catch (error) {
      await super.put(Buffer.concat(chunks), options);
      throw failure('putStream', error);
    }
    return super.put(Buffer.concat(chunks), options);
  }
}

class DropsTheSourceError extends MemoryStore {
  override putStream(source: ByteStream, options?: OperationOptions) {
    return super.putStream(source, options).catch(() => {
      throw failure('putStream', undefined);
    });
  }
}

class SharesTheCallersBuffer extends MemoryStore {
  readonly #live = new Map<string, Uint8Array>();
  override async put(data: Uint8Array, options?: OperationOptions) {
    const key = await super.put(data, options);
    this.#live.set(key, data);
    return key;
  }
  override get(key: string, options?: OperationOptions) {
    const live = this.#live.get(key);
    return live ? super.get(key, options).then(() => live.slice()) : super.get(key, options);
  }
}

class DropsTheLastStreamChunk extends MemoryStore {
  override async getStream(key: string, options?: OperationOptions) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of await super.getStream(key, options)) chunks.push(chunk);
    return chunks.slice(0, -1).values() as unknown as AsyncIterable<Uint8Array>;
  }
}

class IgnoresAbortMidStream extends MemoryStore {
  override putStream(source: ByteStream) {
    return collectBytes(source, undefined, { operation: 'putStream', backend: this.name }).then((data) => super.put(data));
  }
}

class ReadsWholeStreamIgnoringAbort extends MemoryStore {
  override async getStream(key: string) {
    return super.getStream(key);
  }
}

class EncodesStringsInsteadOfRejecting extends MemoryStore {
  override put(data: Uint8Array, options?: OperationOptions) {
    return super.put(data instanceof Uint8Array ? data : new TextEncoder().encode(String(data)), options);
  }
}

// Claims constant-memory streaming but hands out the whole blob as one chunk.
class ClaimsStreamingButBuffers extends MemoryStore {
  override readonly capabilities: StoreCapabilities = Object.freeze({ streaming: true, durableWrites: false });
  override async getStream(key: string, options?: OperationOptions) {
    const whole = await super.get(key, options);
    return (async function* () {
      yield whole;
    })();
  }
}

class RejectsEmptyPayloads extends MemoryStore {
  override get(key: string, options?: OperationOptions) {
    return super.get(key, options).then((data) => {
      if (data.byteLength === 0) throw missing('get', key);
      return data;
    });
  }
}

// Rounds small blobs up to a 16-byte block, as a careless block-aligned store would.
class PadsSmallValues extends MemoryStore {
  override put(data: Uint8Array, options?: OperationOptions) {
    if (data instanceof Uint8Array && data.byteLength > 0 && data.byteLength % 16 !== 0) {
      const padded = new Uint8Array(Math.ceil(data.byteLength / 16) * 16);
      padded.set(data);
      return super.put(padded, options);
    }
    return super.put(data, options);
  }
}

// Confuses MB with MiB: anything past 1,000,000 bytes is cut off.
class TruncatesAtOneMegabyte extends MemoryStore {
  override put(data: Uint8Array, options?: OperationOptions) {
    return super.put(data instanceof Uint8Array ? data.subarray(0, 1_000_000) : data, options);
  }
}

class StoresBytesAsText extends MemoryStore {
  override put(data: Uint8Array, options?: OperationOptions) {
    if (!(data instanceof Uint8Array)) return super.put(data, options);
    return super.put(new TextEncoder().encode(new TextDecoder().decode(data)), options);
  }
}

class ReturnsPrefixedKeys extends MemoryStore {
  override async put(data: Uint8Array, options?: OperationOptions) {
    return `blob-${await super.put(data, options)}`;
  }
  override get(key: string, options?: OperationOptions) {
    return super.get(key.replace(/^blob-/, ''), options);
  }
}

class HandsOutItsOwnBuffer extends MemoryStore {
  readonly #returned = new Map<string, Uint8Array>();
  override async get(key: string, options?: OperationOptions) {
    const data = this.#returned.get(key) ?? (await super.get(key, options));
    this.#returned.set(key, data);
    return data;
  }
}

class EmptyStreamForMissingKey extends MemoryStore {
  override getStream(key: string, options?: OperationOptions) {
    return super.getStream(key, options).catch((error: unknown) => {
      if (isNotFoundError(error)) return [].values() as unknown as AsyncIterable<Uint8Array>;
      throw error;
    });
  }
}

class DeleteRemovesEverything extends MemoryStore {
  override async delete(key: string, options?: OperationOptions) {
    const keys: string[] = [];
    for await (const listed of super.listKeys(options)) keys.push(listed);
    await Promise.all([key, ...keys].map((each) => super.delete(each, options)));
  }
}

// Lists a directory marker, as some S3 tools leave behind.
class ListsAMarker extends MemoryStore {
  override async *listKeys(options?: OperationOptions) {
    yield '.keep';
    yield* super.listKeys(options);
  }
}

// Readers take a lock and release it only when read to the end.
class LeaksLocksOnEarlyExit extends MemoryStore {
  #readers = 0;
  override async *listKeys(options?: OperationOptions) {
    this.#readers++;
    yield* super.listKeys(options);
    this.#readers--;
  }
  override async getStream(key: string, options?: OperationOptions) {
    const inner = await super.getStream(key, options);
    this.#readers++;
    const release = () => this.#readers--;
    return (async function* () {
      yield* inner;
      release();
    })();
  }
  override put(data: Uint8Array, options?: OperationOptions) {
    return this.#readers > 0 ? Promise.reject(busy('put')) : super.put(data, options);
  }
  override delete(key: string, options?: OperationOptions) {
    return this.#readers > 0 ? Promise.reject(busy('delete')) : super.delete(key, options);
  }
}

// Treats every key it cannot find, well formed or not, as simply missing.
class TreatsInvalidKeysAsMissing extends MemoryStore {
  override get(key: string, options?: OperationOptions) {
    return isStoreKey(key) ? super.get(key, options) : Promise.reject(missing('get', key));
  }
  override getStream(key: string, options?: OperationOptions) {
    return isStoreKey(key) ? super.getStream(key, options) : Promise.reject(missing('getStream', key));
  }
  override delete(key: string, options?: OperationOptions) {
    return isStoreKey(key) ? super.delete(key, options) : Promise.resolve();
  }
}

class OnlyAcceptsWebStreams extends MemoryStore {
  override putStream(source: ByteStream, options?: OperationOptions) {
    if (!(source instanceof ReadableStream)) return Promise.reject(failure('putStream', new TypeError('not a ReadableStream')));
    return super.putStream(source, options);
  }
}

class OnlyAcceptsNodeStreams extends MemoryStore {
  override putStream(source: ByteStream, options?: OperationOptions) {
    if (source instanceof ReadableStream) return Promise.reject(failure('putStream', new TypeError('not a Node stream')));
    return super.putStream(source, options);
  }
}

class AlwaysUnhealthy extends MemoryStore {
  override health() {
    return Promise.reject(new ClaimCheckError({ code: 'UNAVAILABLE', operation: 'health', backend: 'memory', detail: 'down' }));
  }
}

class MutableCapabilities extends MemoryStore {
  override readonly capabilities: StoreCapabilities = { streaming: false, durableWrites: false };
}

class CloseTwiceThrows extends MemoryStore {
  #closed = false;
  override async close() {
    if (this.#closed) throw new ClaimCheckError({ code: 'CLOSED', operation: 'close', backend: 'memory', detail: 'already closed' });
    this.#closed = true;
    await super.close();
  }
}

class MisreportsSizes extends MemoryStore {
  override async *listEntries(options?: OperationOptions) {
    for await (const entry of super.listEntries(options)) yield { ...entry, size: 0 };
  }
}

class ListsDeletedEntries extends MemoryStore {
  readonly #deleted: BlobInfo[] = [];
  override async delete(key: string, options?: OperationOptions) {
    for await (const entry of super.listEntries(options)) if (entry.key === key) this.#deleted.push(entry);
    await super.delete(key, options);
  }
  override async *listEntries(options?: OperationOptions) {
    yield* super.listEntries(options);
    yield* this.#deleted;
  }
}

class ReportsEpochTimes extends MemoryStore {
  override async *listEntries(options?: OperationOptions) {
    for await (const entry of super.listEntries(options)) yield { ...entry, lastModified: new Date(0) };
  }
}

// Holds on to the source's chunks instead of copying them, then joins them at the end.
class KeepsChunkReferences extends MemoryStore {
  override async putStream(source: ByteStream, options?: OperationOptions) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of source) chunks.push(chunk);
    return super.put(Buffer.concat(chunks), options);
  }
}

class StopsListingAfterOnePage extends MemoryStore {
  protected override async *_listEntries(): AsyncGenerator<BlobInfo> {
    let listed = 0;
    for await (const entry of super._listEntries()) {
      if (listed++ === 1000) return;
      yield entry;
    }
  }
}

class StopsListKeysAfterOnePage extends MemoryStore {
  override async *listKeys(options?: OperationOptions) {
    let listed = 0;
    for await (const key of super.listKeys(options)) {
      if (listed++ === 1000) return;
      yield key;
    }
  }
}

// Looks at the signal only between the source's chunks, so a stalled source holds it for ever.
class WaitsForAStalledSource extends MemoryStore {
  override async putStream(source: ByteStream, options?: OperationOptions) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of source) {
      if (options?.signal?.aborted === true) throw aborted('putStream');
      chunks.push(chunk.slice());
    }
    return super.put(Buffer.concat(chunks), options);
  }
}

// Finishes a slow read before it looks at the signal, as a store that never hands it to its I/O would.
class FinishesSlowReadsAfterAnAbort extends MemoryStore {
  override async get(key: string, options?: OperationOptions) {
    const isAborted = () => options?.signal?.aborted === true;
    if (isAborted()) throw aborted('get');
    const data = await super.get(key);
    if (isAborted()) {
      await slowRead();
      throw aborted('get');
    }
    return data;
  }
}

class FinishesSlowStreamReadsAfterAnAbort extends MemoryStore {
  override async getStream(key: string, options?: OperationOptions) {
    const inner = await super.getStream(key);
    if (options?.signal?.aborted === true) throw aborted('getStream');
    const signal = options?.signal;
    return (async function* () {
      for await (const chunk of inner) {
        if (signal?.aborted === true) {
          await slowRead();
          throw aborted('getStream');
        }
        yield chunk;
      }
    })();
  }
}

// Lets close() cut writes off with whatever the transport threw, as a destroyed HTTP client would.
class FailsInFlightWritesUntypedOnClose extends MemoryStore {
  override putStream(source: ByteStream, options?: OperationOptions) {
    return super.putStream(source, options).catch(() => {
      throw new Error('socket hang up');
    });
  }
}

function slowRead(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3000));
}

function aborted(operation: string): ClaimCheckError {
  return new ClaimCheckError({ code: 'ABORTED', operation, backend: 'memory', detail: 'operation aborted' });
}

function busy(operation: string): ClaimCheckError {
  return new ClaimCheckError({ code: 'STORE_FAILURE', operation, backend: 'memory', detail: 'a reader holds the lock' });
}

function missing(operation: string, key: string): ClaimCheckError {
  return new ClaimCheckError({ code: 'NOT_FOUND', operation, backend: 'memory', detail: `key ${key} not found` });
}

function failure(operation: string, cause: unknown): ClaimCheckError {
  return new ClaimCheckError({ code: 'STORE_FAILURE', operation, backend: 'memory', detail: 'stream failed', cause });
}

/** Each broken variant with a case of the suite that must fail for it. */
export const brokenStores: { flaw: string; create: () => MemoryStore; expectedFailure: string }[] = [
  { flaw: 'truncates large values', create: () => new TruncatesLargeValues(quickClose), expectedFailure: 'get returns exactly what put stored: 10 MiB' },
  { flaw: 'misreports sizes in head', create: () => new MisreportsHeadSizes(quickClose), expectedFailure: 'head of a stored blob gives its key, size' },
  { flaw: 'misreports the size of an empty blob in head', create: () => new MisreportsHeadSizes(quickClose), expectedFailure: 'head of an empty blob gives size 0' },
  { flaw: 'answers head for missing keys', create: () => new HeadInventsMissingBlobs(quickClose), expectedFailure: 'head of a missing or deleted key rejects with NOT_FOUND' },
  { flaw: 'treats invalid keys as missing in head', create: () => new HeadSkipsKeyChecks(quickClose), expectedFailure: 'head rejects a key the store could not have generated' },
  // These two need a close timeout above the suite's bound, so that the held stream shows.
  { flaw: 'holds a stream closed before its first read', create: () => new KeepsClosedStreamsOpen(heldStreamClose), expectedFailure: 'a getStream closed before its first read releases it' },
  { flaw: 'holds a stream closed midway', create: () => new KeepsClosedStreamsOpen(heldStreamClose), expectedFailure: 'a getStream closed midway releases it' },
  { flaw: 'holds a stream read to its size but not to its end', create: () => new StopsStreamsAtTheirSize(heldStreamClose), expectedFailure: 'a getStream closed after its end releases it' },
  { flaw: 'throws when deleting a missing key', create: () => new DeleteThrowsOnMissingKey(quickClose), expectedFailure: 'delete of a missing key succeeds' },
  { flaw: 'returns empty bytes for a missing key', create: () => new EmptyBytesForMissingKey(quickClose), expectedFailure: 'get of a missing key rejects with NOT_FOUND' },
  { flaw: 'lists a key twice', create: () => new ListsAKeyTwice(quickClose), expectedFailure: 'listKeys after puts yields every key exactly once' },
  { flaw: 'reuses keys under concurrency', create: () => new ReusesKeysUnderConcurrency(quickClose), expectedFailure: '200 concurrent puts return 200 distinct keys' },
  { flaw: 'accepts ../x', create: () => new AcceptsParentPaths(quickClose), expectedFailure: 'a parent-directory path is rejected with INVALID_KEY' },
  { flaw: 'ignores keyPrefix', create: () => new IgnoresKeyPrefixes(quickClose), expectedFailure: 'put with a keyPrefix returns a key under it' },
  { flaw: 'accepts .. in a keyPrefix', create: () => new AcceptsParentPrefixes(quickClose), expectedFailure: 'a keyPrefix with a parent-directory segment is rejected' },
  { flaw: 'accepts upper-case keys', create: () => new AcceptsUpperCaseKeys(quickClose), expectedFailure: 'a valid key in upper case is rejected' },
  { flaw: 'ignores an aborted signal', create: () => new IgnoresAbortSignals(quickClose), expectedFailure: 'every operation given an aborted signal rejects with ABORTED' },
  { flaw: 'keeps working after close', create: () => new UsableAfterClose(quickClose), expectedFailure: 'every operation after close rejects with CLOSED' },
  { flaw: 'lists temp files', create: () => new ListsTempFiles(quickClose), expectedFailure: 'listKeys yields nothing but store keys' },
  { flaw: 'shows a blob while putStream is writing it', create: () => new WritesInPlace(quickClose), expectedFailure: 'a slow putStream never returns torn data' },
  { flaw: 'keeps a partial blob when the source fails', create: () => new KeepsPartialStreamOnFailure(quickClose), expectedFailure: 'source that fails midway' },
  { flaw: 'drops the source’s error', create: () => new DropsTheSourceError(quickClose), expectedFailure: 'source that fails midway rejects, keeps the cause' },
  { flaw: 'shares the caller’s buffer', create: () => new SharesTheCallersBuffer(quickClose), expectedFailure: 'put stores a snapshot' },
  { flaw: 'drops the last chunk of a stream', create: () => new DropsTheLastStreamChunk(quickClose), expectedFailure: 'getStream yields the same bytes as get' },
  { flaw: 'ignores an abort during putStream', create: () => new IgnoresAbortMidStream(quickClose), expectedFailure: 'putStream aborted midway' },
  { flaw: 'ignores an abort during getStream', create: () => new ReadsWholeStreamIgnoringAbort(quickClose), expectedFailure: 'getStream aborted midway' },
  { flaw: 'stores strings instead of rejecting them', create: () => new EncodesStringsInsteadOfRejecting(quickClose), expectedFailure: 'not a Uint8Array rejects with INVALID_PAYLOAD' },
  { flaw: 'claims streaming but yields the blob whole', create: () => new ClaimsStreamingButBuffers(quickClose), expectedFailure: '64 MiB payload produced lazily' },
  { flaw: 'treats an empty blob as missing', create: () => new RejectsEmptyPayloads(quickClose), expectedFailure: 'get returns exactly what put stored: 0 B' },
  { flaw: 'pads small values to a block', create: () => new PadsSmallValues(quickClose), expectedFailure: 'get returns exactly what put stored: 13 B' },
  { flaw: 'cuts values off at 1,000,000 bytes', create: () => new TruncatesAtOneMegabyte(quickClose), expectedFailure: 'get returns exactly what put stored: 1 MiB' },
  { flaw: 'stores bytes as UTF-8 text', create: () => new StoresBytesAsText(quickClose), expectedFailure: 'binary data with all 256 byte values' },
  { flaw: 'returns prefixed keys', create: () => new ReturnsPrefixedKeys(quickClose), expectedFailure: 'put returns a store key' },
  { flaw: 'hands out its own buffer', create: () => new HandsOutItsOwnBuffer(quickClose), expectedFailure: 'a returned buffer is the caller’s own' },
  { flaw: 'streams nothing for a missing key', create: () => new EmptyStreamForMissingKey(quickClose), expectedFailure: 'getStream of a missing key rejects with NOT_FOUND' },
  { flaw: 'deletes every key on delete', create: () => new DeleteRemovesEverything(quickClose), expectedFailure: 'delete removes only its own key' },
  { flaw: 'lists a directory marker', create: () => new ListsAMarker(quickClose), expectedFailure: 'listKeys on an empty store yields nothing' },
  { flaw: 'leaks a lock when a listing stops early', create: () => new LeaksLocksOnEarlyExit(quickClose), expectedFailure: 'a listing stopped early leaves the store usable' },
  { flaw: 'leaks a lock when a stream is abandoned', create: () => new LeaksLocksOnEarlyExit(quickClose), expectedFailure: 'a getStream abandoned after one chunk' },
  { flaw: 'treats invalid keys as missing', create: () => new TreatsInvalidKeysAsMissing(quickClose), expectedFailure: 'a 10 kB key is rejected' },
  { flaw: 'only accepts web streams', create: () => new OnlyAcceptsWebStreams(quickClose), expectedFailure: 'putStream accepts a Node Readable' },
  { flaw: 'only accepts Node streams', create: () => new OnlyAcceptsNodeStreams(quickClose), expectedFailure: 'putStream accepts a web ReadableStream' },
  { flaw: 'is never healthy', create: () => new AlwaysUnhealthy(quickClose), expectedFailure: 'health resolves on a usable store' },
  { flaw: 'has mutable capabilities', create: () => new MutableCapabilities(quickClose), expectedFailure: 'capabilities is a frozen manifest' },
  { flaw: 'misreports sizes in listEntries', create: () => new MisreportsSizes(quickClose), expectedFailure: 'listEntries yields every blob once with its size' },
  { flaw: 'lists deleted blobs in listEntries', create: () => new ListsDeletedEntries(quickClose), expectedFailure: 'listEntries after deletes agrees with listKeys' },
  { flaw: 'reports 1970 as the modification time', create: () => new ReportsEpochTimes(quickClose), expectedFailure: 'a plausible modification time' },
  { flaw: 'keeps references to stream chunks instead of copying them', create: () => new KeepsChunkReferences(quickClose), expectedFailure: 'reuses one buffer for every chunk' },
  { flaw: 'throws when closed twice', create: () => new CloseTwiceThrows(quickClose), expectedFailure: 'close called twice succeeds' },
  { flaw: 'stops listing after 1,000 entries', create: () => new StopsListingAfterOnePage(quickClose), expectedFailure: 'listKeys and listEntries go past 1,000 keys' },
  { flaw: 'stops listKeys after 1,000 keys', create: () => new StopsListKeysAfterOnePage(quickClose), expectedFailure: 'listKeys and listEntries go past 1,000 keys' },
  { flaw: 'waits for a stalled source before it looks at the signal', create: () => new WaitsForAStalledSource(quickClose), expectedFailure: 'aborted while its source is stalled' },
  { flaw: 'finishes a slow get after an abort', create: () => new FinishesSlowReadsAfterAnAbort(quickClose), expectedFailure: 'get aborted while it reads a large blob' },
  { flaw: 'finishes a slow stream read after an abort', create: () => new FinishesSlowStreamReadsAfterAnAbort(quickClose), expectedFailure: 'getStream aborted while a read is pending' },
  { flaw: 'leaves a stalled write pending after close', create: () => new WaitsForAStalledSource(quickClose), expectedFailure: 'close with operations in flight' },
  { flaw: 'fails writes cut off by close with an untyped error', create: () => new FailsInFlightWritesUntypedOnClose(quickClose), expectedFailure: 'close with operations in flight' },
];
