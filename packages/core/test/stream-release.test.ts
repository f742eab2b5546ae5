import { describe, expect, it } from 'vitest';
import { AbstractObjectStore, type BlobInfo, ClaimCheckError, type ClaimCheckWarning, type StoreOperation } from '../src/index.js';
import { collectBytes } from '../src/store-helpers.js';

const blob = new Uint8Array(4096).fill(7);

// A store of one blob whose streams hold a "resource" (a file, a response) from _getStream on,
// released only when the store's iterator is ended or returned: the base must pass return() on.
class ResourceStore extends AbstractObjectStore {
  readonly name = 'resource';
  readonly capabilities = Object.freeze({ streaming: true, durableWrites: false });
  readonly warnings: ClaimCheckWarning[] = [];
  readonly keys = new Set<string>();
  openResources = 0;

  constructor() {
    // A held stream would make close() wait this long: far past the test's own timeout, so it fails.
    super({ closeTimeoutMs: 600_000, onWarning: (warning) => this.warnings.push(warning) });
  }

  protected _put(key: string): Promise<void> {
    this.keys.add(key);
    return Promise.resolve();
  }
  protected async _putStream(key: string, source: AsyncIterable<Uint8Array>): Promise<void> {
    await collectBytes(source, new AbortController().signal, { operation: 'putStream', backend: this.name });
    this.keys.add(key);
  }
  protected _get(): Promise<Uint8Array> {
    return Promise.resolve(blob.slice());
  }
  protected _getStream(key: string, operation: StoreOperation): Promise<AsyncIterable<Uint8Array>> {
    if (!this.keys.has(key)) return Promise.reject(new ClaimCheckError({ ...operation, code: 'NOT_FOUND', detail: 'missing' }));
    this.openResources++;
    let offset = 0;
    let open = true;
    const release = () => {
      if (open) this.openResources--;
      open = false;
    };
    const iterator: AsyncIterableIterator<Uint8Array> = {
      next: () => {
        if (offset >= blob.byteLength) {
          release();
          return Promise.resolve({ done: true, value: undefined });
        }
        offset += 1024;
        return Promise.resolve({ done: false, value: blob.subarray(offset - 1024, offset) });
      },
      return: () => {
        release();
        return Promise.resolve({ done: true, value: undefined });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return Promise.resolve(iterator);
  }
  protected _delete(key: string): Promise<void> {
    this.keys.delete(key);
    return Promise.resolve();
  }
  protected _health(): Promise<void> {
    return Promise.resolve();
  }
  protected async *_listEntries(): AsyncGenerator<BlobInfo> {
    for (const key of this.keys) yield { key, size: blob.byteLength, lastModified: new Date(0) };
  }
}

const endings: [string, (stream: AsyncIterator<Uint8Array>) => Promise<unknown>][] = [
  ['before its first read', () => Promise.resolve()],
  ['midway', (stream) => stream.next()],
  ['after its end', async (stream) => { while ((await stream.next()).done !== true); }],
];

describe('a stream its consumer closes', () => {
  for (const [when, read] of endings) {
    it(`closed ${when} releases the store's resource at once, and close() does not wait for it`, async () => {
      const store = new ResourceStore();
      const key = await store.put(blob);
      const stream = (await store.getStream(key))[Symbol.asyncIterator]();
      await read(stream);
      await stream.return?.();
      expect(store.openResources).toBe(0);
      await store.close();
      expect(store.warnings).toEqual([]);
    });
  }

  it('a second return() and a next() after return() are harmless and yield nothing', async () => {
    const store = new ResourceStore();
    const stream = (await store.getStream(await store.put(blob)))[Symbol.asyncIterator]();
    await stream.return?.();
    await stream.return?.();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    await store.close();
    expect(store.warnings).toEqual([]);
  });

  it('a listing returned midway releases its operation', async () => {
    const store = new ResourceStore();
    await store.put(blob);
    await store.put(blob);
    for await (const key of store.listKeys()) {
      expect(typeof key).toBe('string');
      break;
    }
    await store.close();
    expect(store.warnings).toEqual([]);
  });
});

describe('head on the base', () => {
  it('finds a blob through the listing when the store has no cheaper lookup', async () => {
    const store = new ResourceStore();
    const key = await store.put(blob);
    expect(await store.head(key)).toEqual({ key, size: blob.byteLength, lastModified: new Date(0) });
    await store.close();
  });

  it('rejects a missing key with NOT_FOUND and a foreign one with INVALID_KEY', async () => {
    const store = new ResourceStore();
    await store.put(blob);
    await expect(store.head('3f9a1c2e-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND', operation: 'head' });
    await expect(store.head('../x')).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await store.close();
  });
});
