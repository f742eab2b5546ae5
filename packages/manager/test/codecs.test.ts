import { gzipSync } from 'node:zlib';
import { isIntegrityError, type ObjectStore } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { createManager, parseReference, type CompressionCodec } from '../src/index.js';
import { sha256Hex } from '../src/integrity.js';
import { encodeReference } from '../src/reference.js';
import { chunked, jsonPayload, randomPayload, readAll } from './support/payloads.js';
import { storesUnderTest } from './support/stores.js';

const threshold = 1024;
const codecs: CompressionCodec[] = ['zstd', 'gzip'];

async function failure(action: () => Promise<unknown>): Promise<unknown> {
  return action().then(
    () => undefined,
    (error: unknown) => error,
  );
}

for (const { name, create } of storesUnderTest) {
  describe(`codecs with the ${name} store`, () => {
    for (const codec of codecs) {
      it(`a ${codec} writer's references are read exactly by zstd, gzip and uncompressed readers, buffered and streamed`, async () => {
        const store = await create();
        const writer = await createManager({ store, thresholdBytes: threshold, compression: codec });
        const payload = jsonPayload(300_000);
        const references = [await writer.offload(payload), await writer.offloadStream(chunked(payload, 10_000))];
        for (const reference of references) expect(parseReference(reference).encoding).toBe(codec);
        for (const readerConfig of [{ compression: 'zstd' as const }, { compression: 'gzip' as const }, { compressionEnabled: false }]) {
          const reader = await createManager({ store, thresholdBytes: threshold, ...readerConfig });
          for (const reference of references) {
            expect(Buffer.from(await reader.retrieve(reference)).equals(payload)).toBe(true);
            expect(Buffer.from(await readAll(await reader.retrieveStream(reference))).equals(payload)).toBe(true);
          }
        }
        await store.close();
      });

      it(`with ${codec}, incompressible payloads are stored as identity, buffered and streamed`, async () => {
        const store = await create();
        const manager = await createManager({ store, thresholdBytes: threshold, compression: codec });
        const payload = randomPayload(200_000);
        for (const reference of [await manager.offload(payload), await manager.offloadStream(chunked(payload))]) {
          expect(parseReference(reference)).toMatchObject({ encoding: 'identity', storedSize: payload.byteLength });
        }
        await store.close();
      });

      it(`a corrupted or truncated ${codec} blob is INTEGRITY, buffered and streamed`, async () => {
        const store = await create();
        const manager = await createManager({ store, thresholdBytes: threshold, compression: codec });
        const reference = parseReference(await manager.offload(jsonPayload(100_000)));
        const blob = await store.get(reference.key);
        const corrupted = Uint8Array.from(blob).fill(0x41, 20, 60);
        const truncated = blob.subarray(0, blob.byteLength - 10);
        for (const [bad, storedSize] of [[corrupted, blob.byteLength], [truncated, truncated.byteLength]] as const) {
          const replaced = encodeReference({ ...reference, key: await store.put(bad), storedSize });
          expect(isIntegrityError(await failure(() => manager.retrieve(replaced)))).toBe(true);
          expect(isIntegrityError(await failure(async () => readAll(await manager.retrieveStream(replaced))))).toBe(true);
        }
        await store.close();
      });

      it(`a ${codec} blob that inflates past the size its reference claims is INTEGRITY, buffered and streamed`, async () => {
        const store: ObjectStore = await create();
        const manager = await createManager({ store, thresholdBytes: threshold, compression: codec });
        const bomb = new Uint8Array(32 * 1024 * 1024);
        const reference = parseReference(await manager.offload(bomb));
        // The sizes and hash of the first MiB, as a forger would claim them for a blob of 32 MiB of zeros.
        const forged = encodeReference({ ...reference, size: 1024 * 1024, sha256: sha256Hex(bomb.subarray(0, 1024 * 1024)) });
        const buffered = await failure(() => manager.retrieve(forged));
        expect(isIntegrityError(buffered)).toBe(true);
        expect((buffered as Error).message).toContain('to the promised size');
        expect(isIntegrityError(await failure(async () => readAll(await manager.retrieveStream(forged))))).toBe(true);
        await store.close();
      });
    }

    it('zstd, the default, stores a JSON document in fewer bytes than gzip', async () => {
      const store = await create();
      const payload = jsonPayload(1_000_000);
      const zstd = parseReference(await (await createManager({ store, thresholdBytes: threshold })).offload(payload));
      const gzip = parseReference(await (await createManager({ store, thresholdBytes: threshold, compression: 'gzip' })).offload(payload));
      expect(zstd.encoding).toBe('zstd');
      expect(zstd.storedSize).toBeLessThan(gzip.storedSize);
      expect(gzip.storedSize).toBeLessThanOrEqual(gzipSync(payload).byteLength + 64);
      await store.close();
    });
  });
}
