import { describe, expect, it } from 'vitest';
import {
  AbstractObjectStore,
  type BlobInfo,
  ClaimCheckError,
  type ClaimCheckWarning,
  hasErrorCode,
  isClaimCheckError,
  MemoryStore,
  type StoreOperation,
} from '../src/index.js';

// A store whose primitives do what each test tells them, over a MemoryStore for the bytes.
class ScriptedStore extends AbstractObjectStore {
  readonly name = 'scripted';
  readonly capabilities = Object.freeze({ streaming: false, durableWrites: false });
  readonly blobs = new MemoryStore();
  readonly warnings: ClaimCheckWarning[] = [];
  writeDelayMs = 0;
  /** When set, a put waits for it after its delay, however long that takes. */
  writeGate: Promise<void> | undefined = undefined;
  deleteFails = false;
  putThrows: Error | undefined = undefined;

  constructor(closeTimeoutMs = 200) {
    super({ closeTimeoutMs, onWarning: (warning) => this.warnings.push(warning) });
  }

  // Ignores the signal on purpose: the base must cope with a primitive that does not listen.
  protected async _put(key: string, data: Uint8Array): Promise<void> {
    if (this.putThrows instanceof Error) throw this.putThrows;
    await new Promise((resolve) => setTimeout(resolve, this.writeDelayMs));
    await this.writeGate;
    await this.blobs.put(data).then((stored) => this.aliases.set(key, stored));
  }
  protected async _putStream(key: string, source: AsyncIterable<Uint8Array>): Promise<void> {
    this.aliases.set(key, await this.blobs.putStream(source));
  }
  protected _get(key: string, operation: StoreOperation): Promise<Uint8Array> {
    const stored = this.aliases.get(key);
    if (stored === undefined) return Promise.reject(new ClaimCheckError({ ...operation, code: 'NOT_FOUND', detail: 'missing' }));
    return this.blobs.get(stored);
  }
  protected async _getStream(key: string, operation: StoreOperation): Promise<AsyncIterable<Uint8Array>> {
    const data = await this._get(key, operation);
    return (async function* () {
      for (let offset = 0; offset < data.byteLength; offset += 1024) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield data.subarray(offset, offset + 1024);
      }
    })();
  }
  protected _delete(key: string): Promise<void> {
    if (this.deleteFails) return Promise.reject(new Error('backend down'));
    this.aliases.delete(key);
    return Promise.resolve();
  }
  protected _health(): Promise<void> {
    return Promise.resolve();
  }
  protected async *_listEntries(): AsyncGenerator<BlobInfo> {
    for (const key of this.aliases.keys()) yield { key, size: 0, lastModified: new Date() };
  }
  readonly aliases = new Map<string, string>();
}

async function codeOf(action: Promise<unknown>): Promise<string | undefined> {
  try {
    await action;
    return undefined;
  } catch (error) {
    return isClaimCheckError(error) ? error.code : `untyped ${String(error)}`;
  }
}

describe('AbstractObjectStore', () => {
  it('checks CLOSED first, then ABORTED, then INVALID_KEY, then INVALID_PAYLOAD', async () => {
    const store = new ScriptedStore();
    const aborted = AbortSignal.abort();
    expect(await codeOf(store.get('bad key', { signal: aborted }))).toBe('ABORTED');
    expect(await codeOf(store.get('bad key'))).toBe('INVALID_KEY');
    expect(await codeOf(store.put('text' as unknown as Uint8Array, { signal: aborted }))).toBe('ABORTED');
    expect(await codeOf(store.put('text' as unknown as Uint8Array))).toBe('INVALID_PAYLOAD');
    await store.close();
    expect(await codeOf(store.get('bad key', { signal: aborted }))).toBe('CLOSED');
    expect(await codeOf(store.put('text' as unknown as Uint8Array, { signal: aborted }))).toBe('CLOSED');
  });

  it('refuses a keyPrefix and prefixed keys with INVALID_KEY when the store does not declare keyPrefixes, and writes nothing', async () => {
    const store = new ScriptedStore();
    expect(await codeOf(store.put(new Uint8Array([1]), { keyPrefix: 'tenant' }))).toBe('INVALID_KEY');
    expect(await codeOf(store.putStream((async function* () { yield new Uint8Array([1]); })(), { keyPrefix: 'tenant' }))).toBe('INVALID_KEY');
    expect(store.aliases.size).toBe(0);
    const prefixedKey = `tenant/${await store.put(new Uint8Array([1]))}`;
    for (const call of [store.get(prefixedKey), store.getStream(prefixedKey), store.head(prefixedKey), store.delete(prefixedKey)]) {
      expect(await codeOf(call)).toBe('INVALID_KEY');
    }
  });

  it('checks CLOSED and ABORTED before a malformed keyPrefix', async () => {
    const store = new ScriptedStore();
    expect(await codeOf(store.put(new Uint8Array([1]), { keyPrefix: '..', signal: AbortSignal.abort() }))).toBe('ABORTED');
    await store.close();
    expect(await codeOf(store.put(new Uint8Array([1]), { keyPrefix: '..' }))).toBe('CLOSED');
  });

  it('gives a primitive’s untyped failure the code STORE_FAILURE, keeping it as the cause', async () => {
    const store = new ScriptedStore();
    const failure = new TypeError('driver bug');
    store.putThrows = failure;
    const error = await store.put(new Uint8Array(1)).catch((caught: unknown) => caught);
    expect(hasErrorCode(error, 'STORE_FAILURE')).toBe(true);
    expect((error as Error).cause).toBe(failure);
    await store.close();
  });

  it('rejects an aborted put at once and deletes what a primitive deaf to the signal writes afterwards', async () => {
    const store = new ScriptedStore(1000);
    let openGate!: () => void;
    store.writeGate = new Promise((resolve) => (openGate = resolve));
    const controller = new AbortController();
    const pending = store.put(new Uint8Array(4), { signal: controller.signal });
    controller.abort();
    // The primitive is still held at its gate: the caller is told before it could have finished.
    expect(await codeOf(pending)).toBe('ABORTED');
    expect(store.aliases.size).toBe(0);
    openGate();
    await store.close();
    expect([...store.aliases.keys()]).toEqual([]);
    expect(store.warnings.map(({ code }) => code)).not.toContain('CLEANUP_FAILED');
  });

  it('warns with the key when the cleanup of an abandoned write fails too', async () => {
    const store = new ScriptedStore();
    store.writeDelayMs = 100;
    store.deleteFails = true;
    const controller = new AbortController();
    const pending = store.put(new Uint8Array(4), { signal: controller.signal });
    controller.abort();
    expect(await codeOf(pending)).toBe('ABORTED');
    await store.close();
    const [leftBehind] = [...store.aliases.keys()];
    expect(store.warnings.map(({ code, key }) => ({ code, key }))).toEqual([{ code: 'CLEANUP_FAILED', key: leftBehind }]);
  });

  it('close waits for a write in flight, which then resolves with a key the store held', async () => {
    const store = new ScriptedStore(2000);
    store.writeDelayMs = 100;
    const pending = store.put(new Uint8Array([7]));
    await store.close();
    const key = await pending;
    expect(store.aliases.has(key)).toBe(true);
    expect(store.warnings).toEqual([]);
  });

  it('close cancels what outlives its bound with CLOSED and says so in a warning', async () => {
    const store = new ScriptedStore(50);
    store.writeDelayMs = 400;
    const pending = store.put(new Uint8Array([7]));
    pending.catch(() => undefined);
    await store.close();
    expect(await codeOf(pending)).toBe('CLOSED');
    expect(store.warnings.map(({ code }) => code)).toContain('CLOSE_INCOMPLETE');
  });

  it('close waits for a stream being read, and cancels one nobody reads', async () => {
    const store = new ScriptedStore(300);
    const key = await store.put(new Uint8Array(8 * 1024));
    const read = await store.getStream(key);
    const abandoned = await store.getStream(key);
    const chunks: Uint8Array[] = [];
    const reading = (async () => {
      for await (const chunk of read) chunks.push(chunk);
    })();
    await store.close();
    await reading;
    expect(chunks.reduce((total, chunk) => total + chunk.byteLength, 0)).toBe(8 * 1024);
    expect(await codeOf(abandoned[Symbol.asyncIterator]().next())).toBe('CLOSED');
  });

  it('derives listKeys from the entries, naming listKeys in its errors', async () => {
    const store = new ScriptedStore();
    const key = await store.put(new Uint8Array(1));
    const keys = [];
    for await (const listed of store.listKeys()) keys.push(listed);
    expect(keys).toEqual([key]);
    await store.close();
    const error = await store.listKeys().next().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CLOSED', operation: 'listKeys' });
  });

  it('runs a hundred operations at once without a MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.name);
    process.on('warning', listen);
    try {
      const store = new ScriptedStore();
      store.writeDelayMs = 20;
      await Promise.all(Array.from({ length: 100 }, () => store.put(new Uint8Array(1))));
      await store.close();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('refuses a negative closeTimeoutMs with INVALID_CONFIG naming the store', () => {
    // A store that passes its name is named by it; one that does not, by its class.
    expect(() => new MemoryStore({ closeTimeoutMs: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', backend: 'memory' }) as Error);
    expect(() => new ScriptedStore(-1)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', backend: 'ScriptedStore' }) as Error);
  });
});
