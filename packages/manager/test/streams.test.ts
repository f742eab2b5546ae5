import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { hasErrorCode, isIntegrityError, MemoryStore, type ObjectStore } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { createManager, parseReference, type ClaimCheckManager } from '../src/index.js';
import { encodeReference } from '../src/reference.js';
import { chunked, jsonPayload, randomPayload, readAll } from './support/payloads.js';
import { storesUnderTest, withFreshManager } from './support/stores.js';

const threshold = 64 * 1024;

for (const { name, create } of storesUnderTest) {
  describe(`stream variants with the ${name} store`, () => {
    let store: ObjectStore;
    let manager: ClaimCheckManager;
    withFreshManager(create, threshold, (fresh) => ({ store, manager } = fresh));

    it('a stream that ends within the threshold comes back inline', async () => {
      const payload = randomPayload(threshold);
      const result = await manager.offloadStream(chunked(payload, 1000));
      expect(Buffer.from(result).equals(payload)).toBe(true);
      expect(manager.metrics()).toMatchObject({ inline: 1, offloaded: 0 });
    });

    it('a large compressible stream is offloaded zstd-compressed and streams back exact', async () => {
      const payload = jsonPayload(5 * 1024 * 1024);
      const reference = await manager.offloadStream(Readable.from(chunked(payload)));
      expect(parseReference(reference)).toMatchObject({ size: payload.byteLength, encoding: 'zstd' });
      expect(Buffer.from(await readAll(await manager.retrieveStream(reference))).equals(payload)).toBe(true);
      expect(Buffer.from(await manager.retrieve(reference)).equals(payload)).toBe(true);
    });

    it('an incompressible stream is stored as identity with the right size and hash', async () => {
      const payload = randomPayload(3 * 1024 * 1024 + 7);
      const reference = parseReference(await manager.offloadStream(chunked(payload)));
      expect(reference).toMatchObject({ size: payload.byteLength, storedSize: payload.byteLength, encoding: 'identity' });
      expect(Buffer.from(await manager.retrieve(encodeReference(reference))).equals(payload)).toBe(true);
    });

    it('retrieveStream of something that is not a reference yields it unchanged', async () => {
      const data = randomPayload(100);
      expect(Buffer.from(await readAll(await manager.retrieveStream(data))).equals(data)).toBe(true);
    });

    it('retrieveStream of a corrupted blob fails with INTEGRITY before the stream ends', async () => {
      const reference = parseReference(await manager.offloadStream(chunked(randomPayload(512 * 1024))));
      const corrupted = await store.get(reference.key);
      corrupted[corrupted.byteLength - 1] = (corrupted[corrupted.byteLength - 1] ?? 0) ^ 1;
      const replaced = encodeReference({ ...reference, key: await store.put(corrupted) });
      const error = await readAll(await manager.retrieveStream(replaced)).catch((e: unknown) => e);
      expect(isIntegrityError(error)).toBe(true);
      expect(manager.metrics().errors.INTEGRITY).toBe(1);
    });

    it('retrieveStream of a truncated compressed blob fails with INTEGRITY', async () => {
      const reference = parseReference(await manager.offloadStream(chunked(jsonPayload(1024 * 1024))));
      const truncated = (await store.get(reference.key)).subarray(0, reference.storedSize >> 1);
      const replaced = encodeReference({ ...reference, key: await store.put(truncated) });
      expect(isIntegrityError(await readAll(await manager.retrieveStream(replaced)).catch((e: unknown) => e))).toBe(true);
    });

    it('a source that fails midway rejects with SOURCE_FAILURE and leaves nothing stored', async () => {
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield randomPayload(threshold * 2);
        throw new Error('upstream broke');
      }
      expect(hasErrorCode(await manager.offloadStream(failing()).catch((e: unknown) => e), 'SOURCE_FAILURE')).toBe(true);
      const keys: string[] = [];
      for await (const key of store.listKeys()) keys.push(key);
      expect(keys).toEqual([]);
    });

    it('an aborted offloadStream rejects with ABORTED and leaves nothing stored', async () => {
      const controller = new AbortController();
      async function* slow(): AsyncGenerator<Uint8Array> {
        yield randomPayload(threshold * 2);
        controller.abort();
        yield randomPayload(threshold);
      }
      const error = await manager.offloadStream(slow(), { signal: controller.signal }).catch((e: unknown) => e);
      expect(hasErrorCode(error, 'ABORTED')).toBe(true);
      const keys: string[] = [];
      for await (const key of store.listKeys()) keys.push(key);
      expect(keys).toEqual([]);
    });

    it('a disabled manager returns a stream’s bytes unchanged', async () => {
      const disabled = await createManager({ store, thresholdBytes: threshold, enabled: false });
      const payload = randomPayload(threshold * 3);
      expect(Buffer.from(await disabled.offloadStream(chunked(payload))).equals(payload)).toBe(true);
    });
  });
}

describe('forced offloads', () => {
  it('force stores even an empty or tiny payload, and even when the manager is disabled', async () => {
    const store = new MemoryStore();
    const manager = await createManager({ store, enabled: false });
    for (const payload of [new Uint8Array(0), new TextEncoder().encode('tiny')]) {
      const reference = await manager.offload(payload, { force: true });
      expect(parseReference(reference).size).toBe(payload.byteLength);
      expect(Buffer.from(await manager.retrieve(reference)).equals(payload)).toBe(true);
      const streamed = await manager.offloadStream(chunked(payload), { force: true });
      expect(Buffer.from(await manager.retrieve(streamed)).equals(payload)).toBe(true);
    }
  });

  it('a forced compressible stream is still compressed', async () => {
    const manager = await createManager({ store: new MemoryStore() });
    const reference = await manager.offloadStream(chunked(jsonPayload(300_000)), { force: true });
    expect(parseReference(reference).encoding).toBe('zstd');
  });
});

describe('stream failures', () => {
  it('a source is closed when the store fails before reading it', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield new Uint8Array(64 * 1024);
      } finally {
        closed = true;
      }
    }
    const manager = await createManager({ storageType: 'filesystem', storeOptions: { basePath: join(tmpdir(), 'claimcheck-unused') }, thresholdBytes: 1024 });
    await manager.close();
    const error = await manager.offloadStream(source()).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'CLOSED')).toBe(true);
    expect(closed).toBe(true);
  });

  it('a transport failure while streaming a blob is STORE_FAILURE, not INTEGRITY', async () => {
    const store = new MemoryStore();
    const manager = await createManager({ store, thresholdBytes: 10 });
    const reference = await manager.offload(randomPayload(1000));
    store.getStream = () =>
      Promise.resolve(
        (async function* () {
          yield new Uint8Array(10);
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        })(),
      );
    const error = await readAll(await manager.retrieveStream(reference)).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'STORE_FAILURE')).toBe(true);
    expect((error as Error).message).toContain('socket hang up');
  });
});
