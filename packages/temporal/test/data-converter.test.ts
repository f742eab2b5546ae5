import { randomBytes } from 'node:crypto';
import { zstdDecompressSync } from 'node:zlib';
import { MemoryStore } from '@claimcheck/core';
import { parseReference } from '@claimcheck/manager';
import { ExternalStorage } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ClaimCheckStorageDriver, defaultDriverName } from '../src/index.js';
import { EncryptionCodec, isReferencePayload, protoSize, referenceContent, throughDataConverter } from './support/sdk.js';
import { managerOn, storeTargets } from './support/stores.js';

const sdkThreshold = 256 * 1024;

// The smallest binary value whose payload the SDK measures at exactly `size` bytes.
function valueOfPayloadSize(size: number): Uint8Array {
  for (let length = size; length > 0; length--) {
    const data = new Uint8Array(length);
    if (protoSize({ metadata: { encoding: Buffer.from('binary/plain') }, data }) === size) return data.fill(7);
  }
  throw new Error(`no binary payload measures ${size} bytes`);
}

async function keysOf(store: { listKeys(): AsyncIterable<string> }): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

describe.each(storeTargets)('ExternalStorage with ClaimCheckStorageDriver in a DataConverter, on the $name store', ({ create }) => {
  // The manager's own threshold (1 MiB) is above the SDK's (256 KiB): the driver must store whatever the SDK hands it.
  async function setup(options: { payloadSizeThreshold?: number } = {}) {
    const store = await create();
    const manager = await managerOn(store, { thresholdBytes: 1024 * 1024 });
    const driver = new ClaimCheckStorageDriver({ manager });
    return { store, manager, driver, dataConverter: { externalStorage: new ExternalStorage({ drivers: [driver], ...options }) } };
  }

  it('a 0-byte value stays inline and comes back as it was', async () => {
    const { store, dataConverter } = await setup();
    const result = await throughDataConverter(dataConverter, new Uint8Array());
    expect(isReferencePayload(result.wire[0])).toBe(false);
    expect(result.value).toEqual(new Uint8Array());
    expect(await keysOf(store)).toEqual([]);
  });

  it('a payload one byte under the SDK threshold stays inline; one at the threshold is stored although the manager would keep it inline', async () => {
    const { store, dataConverter } = await setup();
    const under = valueOfPayloadSize(sdkThreshold - 1);
    const inline = await throughDataConverter(dataConverter, under);
    expect(isReferencePayload(inline.wire[0])).toBe(false);
    expect(inline.wire[0]).toBe(inline.encoded[0]);
    expect(await keysOf(store)).toEqual([]);

    const at = valueOfPayloadSize(sdkThreshold);
    expect(at.byteLength).toBeLessThan(1024 * 1024);
    const offloaded = await throughDataConverter(dataConverter, at);
    expect(isReferencePayload(offloaded.wire[0])).toBe(true);
    expect(Buffer.compare(offloaded.value, at)).toBe(0);
    const { driverName, claimData } = referenceContent(offloaded.wire[0] ?? {});
    expect(driverName).toBe(defaultDriverName);
    expect(claimData).toMatchObject({ version: '1', namespace: 'default', workflowId: 'order-42', runId: 'run-7', workflowType: 'processOrder' });
    expect(await keysOf(store)).toEqual([parseReference(claimData.reference ?? '').key]);
  });

  it('payloadSizeThreshold 0 sends even a 0-byte value to the driver, and it comes back byte-exact', async () => {
    const { store, dataConverter } = await setup({ payloadSizeThreshold: 0 });
    const result = await throughDataConverter(dataConverter, new Uint8Array());
    expect(isReferencePayload(result.wire[0])).toBe(true);
    expect(result.value).toEqual(new Uint8Array());
    expect(await keysOf(store)).toHaveLength(1);
  });

  it('a 10 MB value is stored compressed and comes back byte-exact', async () => {
    const { store, dataConverter } = await setup();
    const value = { rows: Array.from({ length: 100_000 }, (_, id) => ({ id, name: `customer-${id}`, note: 'x'.repeat(60) })) };
    expect(JSON.stringify(value).length).toBeGreaterThan(10_000_000);
    const result = await throughDataConverter(dataConverter, value);
    expect(protoSize(result.wire[0] ?? {})).toBeLessThan(1024);
    expect(result.value).toEqual(value);
    const reference = parseReference(referenceContent(result.wire[0] ?? {}).claimData.reference ?? '');
    expect(reference.encoding).toBe('zstd');
    expect((await store.get(reference.key)).byteLength).toBeLessThan(reference.size / 10);
  });

  it('a 100 MB binary value comes back byte-exact', async () => {
    const { dataConverter } = await setup();
    const value = randomBytes(100 * 1024 * 1024);
    const result = await throughDataConverter(dataConverter, value);
    expect(isReferencePayload(result.wire[0])).toBe(true);
    expect(Buffer.compare(result.value, value)).toBe(0);
  });

  it('with an encryption codec, the store holds only ciphertext and the value still comes back', async () => {
    const { store, dataConverter } = await setup();
    const secret = `card 4111-1111-1111-1111 ${'padding '.repeat(40_000)}`;
    const result = await throughDataConverter({ ...dataConverter, payloadCodecs: [new EncryptionCodec()] }, { secret });
    expect(result.value).toEqual({ secret });
    const reference = parseReference(referenceContent(result.wire[0] ?? {}).claimData.reference ?? '');
    const stored = await store.get(reference.key);
    const plain = Buffer.from(reference.encoding === 'zstd' ? zstdDecompressSync(stored) : stored);
    expect(plain.includes('binary/encrypted')).toBe(true);
    expect(plain.includes('4111-1111')).toBe(false);
  });
});

describe('the driver name', () => {
  it('is "claimcheck" by default and can be chosen per instance', () => {
    const store = new MemoryStore();
    expect(new ClaimCheckStorageDriver({ store }).name).toBe('claimcheck');
    expect(new ClaimCheckStorageDriver({ store, name: 'claimcheck-eu' }).name).toBe('claimcheck-eu');
  });
});
