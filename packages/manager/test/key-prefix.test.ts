import { hasErrorCode, MemoryStore, type ObjectStore } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { createManager, parseReference } from '../src/index.js';
import { randomPayload } from './support/payloads.js';

// A store written before key prefixes existed: it does not declare them and ignores options it does not know.
function storeWithoutPrefixes(inner: ObjectStore): ObjectStore {
  return {
    name: 'legacy',
    capabilities: Object.freeze({ streaming: false, durableWrites: false }),
    put: (data) => inner.put(data),
    putStream: (source) => inner.putStream(source),
    get: (key, options) => inner.get(key, options),
    delete: (key, options) => inner.delete(key, options),
    health: (options) => inner.health(options),
    listKeys: (options) => inner.listKeys(options),
    listEntries: (options) => inner.listEntries(options),
    getStream: (key, options) => inner.getStream(key, options),
    close: () => inner.close(),
  };
}

async function* chunked(payload: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < payload.byteLength; offset += 4096) yield payload.subarray(offset, offset + 4096);
}

async function keysOf(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

describe('offload under a keyPrefix', () => {
  it('offload and offloadStream store under the prefix, and the reference carries the whole key', async () => {
    const store = new MemoryStore();
    const manager = await createManager({ store, thresholdBytes: 1024 });
    const payload = randomPayload(10_000);
    for (const reference of [
      await manager.offload(payload, { keyPrefix: 'ns/default/wf/order-7' }),
      await manager.offloadStream(chunked(payload), { keyPrefix: 'ns/default/wf/order-7' }),
    ]) {
      const { key } = parseReference(reference);
      expect(key).toMatch(/^ns\/default\/wf\/order-7\/[0-9a-f-]{36}$/);
      expect(Buffer.from(await manager.retrieve(reference)).equals(payload)).toBe(true);
    }
    expect((await keysOf(store)).every((key) => key.startsWith('ns/default/wf/order-7/'))).toBe(true);
    await manager.close();
  });

  it('a malformed prefix is INVALID_KEY, and nothing is stored', async () => {
    const store = new MemoryStore();
    const manager = await createManager({ store, thresholdBytes: 1024 });
    await expect(manager.offload(randomPayload(2048), { keyPrefix: 'ns/../etc' })).rejects.toSatisfy((error) => hasErrorCode(error, 'INVALID_KEY'));
    await expect(manager.offloadStream(chunked(randomPayload(2048)), { keyPrefix: '' })).rejects.toSatisfy((error) => hasErrorCode(error, 'INVALID_KEY'));
    expect(await keysOf(store)).toEqual([]);
    await manager.close();
  });

  it('a store that does not declare keyPrefixes is refused with INVALID_KEY rather than filing the blob at its root', async () => {
    const inner = new MemoryStore();
    const manager = await createManager({ store: storeWithoutPrefixes(inner), thresholdBytes: 1024 });
    for (const attempt of [
      manager.offload(randomPayload(2048), { keyPrefix: 'tenant' }),
      manager.offloadStream(chunked(randomPayload(2048)), { keyPrefix: 'tenant' }),
    ]) {
      const error: unknown = await attempt.then(() => undefined, (caught: unknown) => caught);
      expect(hasErrorCode(error, 'INVALID_KEY')).toBe(true);
      expect(String(error)).toMatch(/store legacy takes no key prefix/);
    }
    expect(await keysOf(inner)).toEqual([]);
    // Without a prefix the same store works as before.
    const reference = await manager.offload(randomPayload(2048));
    expect(parseReference(reference).key).not.toContain('/');
    await manager.close();
  });
});
