import { promisify } from 'node:util';
import { deflateRawSync, gunzip, gzip } from 'node:zlib';
import type { ContentEncoding } from './reference.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

// The sample that decides: up to three 16 KiB windows (start, middle, end), compressed at the fastest
// level. Costs well under a millisecond, however large the payload.
const sampleWindowBytes = 16 * 1024;
/** The most bytes the compressibility sample looks at. */
export const compressionSampleBytes = 3 * sampleWindowBytes;
// Gzip must save at least this share of the sample, or the payload is stored as it is.
const minimumSaving = 0.1;

/** True when a cheap sample says gzip would shrink `payload`; the whole payload is never compressed to find out. */
export function looksCompressible(payload: Uint8Array): boolean {
  const sample = samplePayload(payload);
  if (sample.byteLength === 0) return false;
  return deflateRawSync(sample, { level: 1 }).byteLength <= sample.byteLength * (1 - minimumSaving);
}

function samplePayload(payload: Uint8Array): Uint8Array {
  if (payload.byteLength <= compressionSampleBytes) return payload;
  const middle = Math.floor(payload.byteLength / 2 - sampleWindowBytes / 2);
  const sample = new Uint8Array(compressionSampleBytes);
  sample.set(payload.subarray(0, sampleWindowBytes), 0);
  sample.set(payload.subarray(middle, middle + sampleWindowBytes), sampleWindowBytes);
  sample.set(payload.subarray(payload.byteLength - sampleWindowBytes), 2 * sampleWindowBytes);
  return sample;
}

/** What goes to the store, and how it is encoded. */
export interface EncodedPayload {
  stored: Uint8Array;
  encoding: ContentEncoding;
}

/** gzips `payload` when enabled and worthwhile; stores it as it is (`identity`) otherwise. */
export async function encodePayload(payload: Uint8Array, compressionEnabled: boolean): Promise<EncodedPayload> {
  if (!compressionEnabled || !looksCompressible(payload)) return { stored: payload, encoding: 'identity' };
  const compressed = await gzipAsync(payload);
  // The sample can be wrong; never store a "compressed" blob that is larger.
  return compressed.byteLength < payload.byteLength
    ? { stored: compressed, encoding: 'gzip' }
    : { stored: payload, encoding: 'identity' };
}

/**
 * Decodes a stored blob. `maxBytes` bounds gunzip's output, so a corrupted or hostile blob cannot
 * inflate without limit; exceeding it rejects with a `RangeError`.
 */
export async function decodePayload(stored: Uint8Array, encoding: ContentEncoding, maxBytes: number): Promise<Uint8Array> {
  if (encoding === 'identity') return stored;
  return gunzipAsync(stored, { maxOutputLength: Math.max(maxBytes, 1) });
}
