import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { generateKey, hasErrorCode, isIntegrityError, MemoryStore, type ObjectStore } from '@claimcheck/core';
import { FilesystemStore } from '@claimcheck/store-fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManager, parseReference } from '../src/index.js';
import { sha256Hex } from '../src/integrity.js';
import { encodeReference, type Reference } from '../src/reference.js';
import { countingStore } from './support/counting-store.js';
import { chunked, randomPayload, readAll } from './support/payloads.js';

const tooLarge = 'PAYLOAD_TOO_LARGE';

async function failure(action: () => Promise<unknown>): Promise<unknown> {
  return action().then(
    () => undefined,
    (error: unknown) => error,
  );
}

function forgedReference(fields: Partial<Reference>): Uint8Array {
  const reference: Reference = {
    version: 1,
    storage: 'memory',
    key: generateKey(),
    size: 1000,
    storedSize: 1000,
    encoding: 'gzip',
    sha256: '0'.repeat(64),
    createdAt: new Date().toISOString(),
  };
  return encodeReference({ ...reference, ...fields });
}

// Counts the bytes a store's getStream hands out, to show how much of a blob was read.
function countingReads(store: ObjectStore): { store: ObjectStore; bytesRead: () => number } {
  let bytesRead = 0;
  const getStream = store.getStream.bind(store);
  store.getStream = async (key, options) => {
    const stream = await getStream(key, options);
    return (async function* () {
      for await (const chunk of stream) {
        bytesRead += chunk.byteLength;
        yield chunk;
      }
    })();
  };
  return { store, bytesRead: () => bytesRead };
}

describe('maxPayloadBytes', () => {
  it('retrieve refuses a reference that claims more than maxPayloadBytes before touching the store, and counts it', async () => {
    const counted = countingStore(new MemoryStore());
    const manager = await createManager({ store: counted.store, thresholdBytes: 100, maxPayloadBytes: 4096 });
    for (const fields of [{ size: 4097 }, { size: 100, storedSize: 4097 }, { size: 2 ** 32, storedSize: 4_000_000 }]) {
      const error = await failure(() => manager.retrieve(forgedReference(fields)));
      expect(hasErrorCode(error, tooLarge), JSON.stringify(fields)).toBe(true);
      expect((error as Error).message).toMatch(/larger than maxPayloadBytes \(4096\).*CLAIMCHECK_MAX_PAYLOAD_BYTES/);
    }
    expect(counted.calls()).toBe(0);
    expect(manager.metrics().errors).toEqual({ [tooLarge]: 3 });
  });

  it('the forged 4 GiB reference of the attack is refused with a typed error under the default bound, never a RangeError', async () => {
    const counted = countingStore(new MemoryStore());
    const manager = await createManager({ store: counted.store });
    for (const size of [2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      expect(hasErrorCode(await failure(() => manager.retrieve(forgedReference({ size, storedSize: 4_000_000 }))), tooLarge)).toBe(true);
    }
    expect(counted.calls()).toBe(0);
  });

  it('a hostile gzip blob inflates no further than the claimed size, which is within the bound', async () => {
    const store = new MemoryStore();
    const manager = await createManager({ store, thresholdBytes: 100, maxPayloadBytes: 1024 * 1024 });
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024));
    const key = await store.put(bomb);
    const forged = forgedReference({ key, size: 1024 * 1024, storedSize: bomb.byteLength });
    const error = await failure(() => manager.retrieve(forged));
    expect(isIntegrityError(error)).toBe(true);
    expect(((error as Error).cause as Error).message).toBe(`decodes to more than ${1024 * 1024} bytes`);
  });

  it('offload refuses a payload over maxPayloadBytes before touching the store; the stream variants carry it', async () => {
    const counted = countingStore(new MemoryStore());
    const manager = await createManager({ store: counted.store, thresholdBytes: 100, maxPayloadBytes: 4096 });
    const payload = randomPayload(4097);
    expect(hasErrorCode(await failure(() => manager.offload(payload)), tooLarge)).toBe(true);
    expect(counted.calls()).toBe(0);
    const reference = await manager.offloadStream(chunked(payload, 1000));
    expect(Buffer.from(await readAll(await manager.retrieveStream(reference))).equals(payload)).toBe(true);
    expect(hasErrorCode(await failure(() => manager.retrieve(reference)), tooLarge)).toBe(true);
    const exact = randomPayload(4096);
    expect(Buffer.from(await manager.retrieve(await manager.offload(exact))).equals(exact)).toBe(true);
  });

  it('SHA-256 over slices equals the one-shot digest, so no single hash update sees 2 GiB', () => {
    const data = randomPayload(1_000_003);
    const oneShot = createHash('sha256').update(data).digest('hex');
    for (const slice of [1000, 65_536, 999_999, 2_000_000]) expect(sha256Hex(data, slice)).toBe(oneShot);
    expect(sha256Hex(data)).toBe(oneShot);
  });
});

describe('a blob longer than the reference says', () => {
  let basePath: string;
  beforeEach(async () => {
    basePath = await mkdtemp(join(tmpdir(), 'claimcheck-manager-limits-'));
  });
  afterEach(() => rm(basePath, { recursive: true, force: true }));

  it('retrieve stops reading it once it passes storedSize, without reading the rest', async () => {
    const { store, bytesRead } = countingReads(new FilesystemStore({ basePath }));
    const manager = await createManager({ store, thresholdBytes: 100 });
    const reference = parseReference(await manager.offload(randomPayload(10_000)));
    const replaced = encodeReference({ ...reference, key: await store.put(randomPayload(64 * 1024 * 1024)) });
    const error = await failure(() => manager.retrieve(replaced));
    expect(isIntegrityError(error)).toBe(true);
    expect((error as Error).message).toContain('is longer than the 10000 bytes the reference says');
    expect(bytesRead()).toBeLessThanOrEqual(2 * 1024 * 1024);
    await manager.close();
  });
});

describe('a disabled manager’s offloadStream', () => {
  it('returns a stream of up to maxPayloadBytes inline and refuses a longer one after reading at most maxPayloadBytes + one chunk', async () => {
    const counted = countingStore(new MemoryStore());
    const manager = await createManager({ store: counted.store, enabled: false, thresholdBytes: 100, maxPayloadBytes: 64 * 1024 });
    const fits = randomPayload(64 * 1024);
    expect(Buffer.from(await manager.offloadStream(chunked(fits, 1000))).equals(fits)).toBe(true);
    let chunksRead = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        chunksRead++;
        yield new Uint8Array(1000);
      }
    }
    const error = await failure(() => manager.offloadStream(endless()));
    expect(hasErrorCode(error, tooLarge)).toBe(true);
    expect((error as Error).message).toContain('as the manager is disabled');
    expect(chunksRead).toBeLessThanOrEqual(66);
    expect(counted.calls()).toBe(0);
  });
});

describe('aborts while the caller’s source is stalled', () => {
  for (const [stage, before] of [
    ['deciding inline or not', 10],
    ['streaming to the store', 300_000],
  ] as const) {
    it(`an abort while ${stage} rejects with ABORTED and leaves nothing stored`, async () => {
      const basePath = await mkdtemp(join(tmpdir(), 'claimcheck-manager-abort-'));
      const store = new FilesystemStore({ basePath });
      const manager = await createManager({ store, thresholdBytes: 1024 });
      const source = new Readable({ read: () => undefined });
      source.push(randomPayload(before));
      const controller = new AbortController();
      const pending = manager.offloadStream(source, { signal: controller.signal });
      setTimeout(() => {
        controller.abort();
      }, 50);
      expect(hasErrorCode(await failure(() => pending), 'ABORTED')).toBe(true);
      const keys: string[] = [];
      for await (const key of store.listKeys()) keys.push(key);
      expect(keys).toEqual([]);
      expect(manager.metrics().errors).toEqual({ ABORTED: 1 });
      source.destroy();
      await manager.close();
      await rm(basePath, { recursive: true, force: true });
    });
  }
});

describe('retrieveStream failures', () => {
  it('every failure is a rejection, never a synchronous throw, and is counted', async () => {
    const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 10 });
    let returned: Promise<unknown> = Promise.resolve();
    expect(() => {
      returned = manager.retrieveStream('text' as unknown as Uint8Array);
    }).not.toThrow();
    expect(hasErrorCode(await failure(() => returned), 'INVALID_PAYLOAD')).toBe(true);
    expect(hasErrorCode(await failure(() => manager.retrieveStream(forgedReference({}).subarray(0, 60))), 'INVALID_REFERENCE')).toBe(true);
    expect(hasErrorCode(await failure(() => manager.retrieveStream(forgedReference({}))), 'NOT_FOUND')).toBe(true);
    expect(manager.metrics().errors).toEqual({ INVALID_PAYLOAD: 1, INVALID_REFERENCE: 1, NOT_FOUND: 1 });
  });
});
