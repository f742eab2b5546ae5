import { MemoryStore } from '@claimcheck/core';
import type { Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ClaimCheckPayloadCodec } from '../src/index.js';
import { payloadSizeAtMost, payloadToBytes } from '../src/payload-bytes.js';

const bytes = (length: number) => new Uint8Array(length).fill(7);
const payload = (data: number, metadata: Record<string, number> = { encoding: 9 }): Payload => ({
  data: bytes(data),
  metadata: Object.fromEntries(Object.entries(metadata).map(([key, length]) => [key, bytes(length)])),
});

describe('payloadSizeAtMost, the bound that spares small payloads an encoding', () => {
  // Around each width of a protobuf length prefix (1, 2, 3 bytes), with keys of 1 to 3 UTF-8 bytes per unit.
  const sizes = [0, 1, 127, 128, 16_383, 16_384, 262_143, 262_144];
  const metadatas = [{}, { encoding: 9 }, { 'é-clé': 200, encoding: 16 }, { '鍵': 128, messageType: 16_384 }];
  it.each(sizes.flatMap((data) => metadatas.map((metadata) => [data, metadata] as const)))('is never below the encoded size: data %i, metadata %j', (data, metadata) => {
    const exact = payloadToBytes(payload(data, metadata)).byteLength;
    expect(payloadSizeAtMost(payload(data, metadata))).toBeGreaterThanOrEqual(exact);
    // And close to it: a payload far under the threshold is never encoded, one near it always is.
    expect(payloadSizeAtMost(payload(data, metadata))).toBeLessThanOrEqual(exact + 64);
  });
});

describe('ClaimCheckPayloadCodec at its threshold', () => {
  it('keeps a payload one byte under the threshold inline and offloads one at it, measured on the encoded message', async () => {
    const thresholdBytes = 4096;
    const codec = new ClaimCheckPayloadCodec({ store: new MemoryStore(), thresholdBytes });
    // A data length whose encoded message is exactly the threshold (its length prefix is 2 bytes from 128 to 16,383).
    const overhead = payloadToBytes(payload(1000)).byteLength - 1000;
    const at = payload(thresholdBytes - overhead);
    expect(payloadToBytes(at).byteLength).toBe(thresholdBytes);
    const under = payload(thresholdBytes - overhead - 1);
    const [keptUnder, storedAt] = await codec.encode([under, at]);
    expect(keptUnder).toBe(under);
    expect(Buffer.from(storedAt?.metadata?.encoding ?? []).toString()).toBe('binary/claimcheck');
    const [back] = await codec.decode([storedAt as Payload]);
    expect(Buffer.from(back?.data ?? [])).toEqual(Buffer.from(at.data ?? []));
    expect(Buffer.from(back?.metadata?.encoding ?? [])).toEqual(Buffer.from(at.metadata?.encoding ?? []));
  });
});
