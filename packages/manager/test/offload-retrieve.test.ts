import { hasErrorCode, isIntegrityError, isInvalidReferenceError, isNotFoundError, type ObjectStore } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { createManager, isReference, parseReference, referenceMarker, type ClaimCheckManager } from '../src/index.js';
import { encodeReference } from '../src/reference.js';
import { countingStore } from './support/counting-store.js';
import { jsonPayload, randomPayload } from './support/payloads.js';
import { storesUnderTest, withFreshManager } from './support/stores.js';

const threshold = 1024;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

for (const { name, create } of storesUnderTest) {
  describe(`offload and retrieve with the ${name} store`, () => {
    let store: ObjectStore;
    let manager: ClaimCheckManager;
    withFreshManager(create, threshold, (fresh) => ({ store, manager } = fresh));

    it('a payload of exactly thresholdBytes comes back as the same object, without a store call', async () => {
      const counted = countingStore(store);
      const inline = await createManager({ store: counted.store, thresholdBytes: threshold });
      const payload = randomPayload(threshold);
      expect(await inline.offload(payload)).toBe(payload);
      expect(await inline.retrieve(payload)).toBe(payload);
      expect(counted.calls()).toBe(0);
      expect(inline.metrics()).toMatchObject({ inline: 1, offloaded: 0, passedThrough: 1 });
    });

    it('a payload one byte over thresholdBytes is stored and replaced by a reference', async () => {
      const payload = randomPayload(threshold + 1);
      const reference = await manager.offload(payload);
      expect(isReference(reference)).toBe(true);
      const parsed = parseReference(reference);
      expect(parsed).toMatchObject({ storage: store.name, size: threshold + 1, encoding: 'identity', storedSize: threshold + 1 });
      expect(Buffer.from(await manager.retrieve(reference)).equals(payload)).toBe(true);
      expect(await store.get(parsed.key)).toEqual(payload);
    });

    it('compressible payloads are stored zstd-compressed by default and come back exact', async () => {
      const payload = jsonPayload(200_000);
      const parsed = parseReference(await manager.offload(payload));
      expect(parsed.encoding).toBe('zstd');
      expect(parsed.storedSize).toBeLessThan(payload.byteLength / 3);
      expect(Buffer.from(await manager.retrieve(encodeReference(parsed))).equals(payload)).toBe(true);
    });

    it('with compression disabled, compressible payloads are stored as they are', async () => {
      const plain = await createManager({ store, thresholdBytes: threshold, compressionEnabled: false });
      const payload = jsonPayload(200_000);
      const reference = await plain.offload(payload);
      expect(parseReference(reference)).toMatchObject({ encoding: 'identity', storedSize: payload.byteLength });
      expect(Buffer.from(await plain.retrieve(reference)).equals(payload)).toBe(true);
    });

    it('incompressible payloads are stored as identity', async () => {
      const payload = randomPayload(500_000);
      const reference = await manager.offload(payload);
      expect(parseReference(reference)).toMatchObject({ encoding: 'identity', storedSize: payload.byteLength });
      expect(Buffer.from(await manager.retrieve(reference)).equals(payload)).toBe(true);
    });

    it('a disabled manager returns every payload unchanged and never touches the store', async () => {
      const counted = countingStore(store);
      const disabled = await createManager({ store: counted.store, thresholdBytes: threshold, enabled: false });
      for (const payload of [randomPayload(10), randomPayload(threshold * 100), jsonPayload(100_000)]) {
        expect(await disabled.offload(payload)).toBe(payload);
        expect(await disabled.retrieve(payload)).toBe(payload);
      }
      expect(counted.calls()).toBe(0);
    });

    it('a disabled manager still resolves references created while it was enabled', async () => {
      const payload = randomPayload(threshold * 4);
      const reference = await manager.offload(payload);
      const disabled = await createManager({ store, thresholdBytes: threshold, enabled: false });
      expect(Buffer.from(await disabled.retrieve(reference)).equals(payload)).toBe(true);
    });

    it('payloads crafted to look like references round-trip exactly', async () => {
      const real = await manager.offload(randomPayload(threshold * 2));
      const crafted = [
        new TextEncoder().encode(referenceMarker),
        new TextEncoder().encode(`${referenceMarker}"version":1}`),
        real,
        real.subarray(0, real.byteLength - 1),
        new TextEncoder().encode(new TextDecoder().decode(real).replace('"version":1', '"version":9')),
      ];
      for (const payload of crafted) {
        const offloaded = await manager.offload(payload);
        expect(offloaded).not.toBe(payload);
        expect(Buffer.from(await manager.retrieve(offloaded)).equals(payload)).toBe(true);
      }
    });

    it('anything that is not a reference comes back from retrieve unchanged', async () => {
      for (const data of [new Uint8Array(0), new TextEncoder().encode('{"claimcheck":"other"}'), randomPayload(5000)]) {
        expect(await manager.retrieve(data)).toBe(data);
      }
    });

    it('a corrupted blob is an INTEGRITY error, never wrong bytes', async () => {
      const corruptor = await createManager({ store, thresholdBytes: threshold, compressionEnabled: false });
      const reference = parseReference(await corruptor.offload(randomPayload(threshold * 4)));
      const corrupted = await store.get(reference.key);
      corrupted[100] = (corrupted[100] ?? 0) ^ 0xff;
      const replaced = encodeReference({ ...reference, key: await store.put(corrupted) });
      expect(isIntegrityError(await rejection(manager.retrieve(replaced)))).toBe(true);
    });

    it('a corrupted compressed blob is an INTEGRITY error', async () => {
      const reference = parseReference(await manager.offload(jsonPayload(100_000)));
      const corrupted = await store.get(reference.key);
      corrupted.fill(0x41, 20, 60);
      const replaced = encodeReference({ ...reference, key: await store.put(corrupted) });
      expect(isIntegrityError(await rejection(manager.retrieve(replaced)))).toBe(true);
    });

    it('a truncated blob is an INTEGRITY error', async () => {
      const reference = parseReference(await manager.offload(jsonPayload(100_000)));
      const truncated = (await store.get(reference.key)).subarray(0, reference.storedSize - 10);
      const replaced = encodeReference({ ...reference, key: await store.put(truncated) });
      const error = await rejection(manager.retrieve(replaced));
      expect(isIntegrityError(error)).toBe(true);
      expect((error as Error).message).toContain('truncated');
    });

    it('a deleted blob is NOT_FOUND naming the key', async () => {
      const reference = await manager.offload(randomPayload(threshold * 2));
      await manager.delete(reference);
      const error = await rejection(manager.retrieve(reference));
      expect(isNotFoundError(error)).toBe(true);
      expect((error as Error).message).toContain(parseReference(reference).key);
    });

    it('delete of an already deleted reference succeeds', async () => {
      const reference = await manager.offload(randomPayload(threshold * 2));
      await manager.delete(reference);
      await manager.delete(reference);
      expect(manager.metrics().deleted).toBe(2);
    });

    it('a malformed reference is INVALID_REFERENCE, for retrieve and delete', async () => {
      const broken = new TextEncoder().encode(`${referenceMarker}"version":1,"storage":`);
      expect(isInvalidReferenceError(await rejection(manager.retrieve(broken)))).toBe(true);
      expect(isInvalidReferenceError(await rejection(manager.delete(broken)))).toBe(true);
    });

    it('a reference to another storage type is INVALID_CONFIG naming both', async () => {
      const reference = parseReference(await manager.offload(randomPayload(threshold * 2)));
      const elsewhere = encodeReference({ ...reference, storage: 'elsewhere' });
      const error = await rejection(manager.retrieve(elsewhere));
      expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
      expect((error as Error).message).toMatch(/elsewhere storage.*uses /);
    });

    it('a payload that is not bytes is INVALID_PAYLOAD', async () => {
      expect(hasErrorCode(await rejection(manager.offload('text' as unknown as Uint8Array)), 'INVALID_PAYLOAD')).toBe(true);
      expect(hasErrorCode(await rejection(manager.retrieve(42 as unknown as Uint8Array)), 'INVALID_PAYLOAD')).toBe(true);
    });

    it('health resolves for a usable store', async () => {
      await manager.health();
    });
  });
}
