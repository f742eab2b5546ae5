import type { Transform } from 'node:stream';
import { createGunzip, createGzip, deflateRawSync } from 'node:zlib';
import type { ContentEncoding } from './reference.js';
import { zstdBindings, zstdLevelParameter, type ZstdBindings } from './zstd.js';

/** The codecs the manager compresses with; `zstd` is the default. */
export const compressionCodecs = ['zstd', 'gzip'] as const;

/** `zstd` (smaller and faster) or `gzip` (for fleets whose readers predate zstd; see the README). */
export type CompressionCodec = (typeof compressionCodecs)[number];

// Level 1: on JSON it stores fewer bytes than gzip's default level, several times faster.
const zstdLevel = 1;
// Output in 1 MiB pieces: with zlib's 16 KiB default, chunk handling costs as much as the codec itself.
const outputChunkBytes = 1024 * 1024;
// Input goes in slices, so that no single zlib call sees 2 GiB or more.
const inputSliceBytes = 64 * 1024 * 1024;

// The sample that decides: up to three 16 KiB windows (start, middle, end), compressed at the fastest
// level. Costs well under a millisecond, however large the payload.
const sampleWindowBytes = 16 * 1024;
/** The most bytes the compressibility sample looks at. */
export const compressionSampleBytes = 3 * sampleWindowBytes;
// Compression must save at least this share of the sample, or the payload is stored as it is.
const minimumSaving = 0.1;

/** True when a cheap sample says compression would shrink `payload`; the whole payload is never compressed to find out. */
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

/** node:zlib's zstd, or `undefined` on a Node older than 22.15. */
export function zstdAvailable(): boolean {
  return zstdBindings() !== undefined;
}

function zstd(): ZstdBindings {
  const bindings = zstdBindings();
  if (bindings === undefined) throw new Error('zstd needs Node.js 22.15 or later');
  return bindings;
}

/** A stream that compresses with `codec`. */
export function createCompressor(codec: CompressionCodec): Transform {
  if (codec === 'gzip') return createGzip({ chunkSize: outputChunkBytes });
  return zstd().createZstdCompress({ chunkSize: outputChunkBytes, params: { [zstdLevelParameter]: zstdLevel } });
}

/** A stream that decodes `encoding`, whichever codec this manager writes. */
export function createDecompressor(encoding: Exclude<ContentEncoding, 'identity'>): Transform {
  if (encoding === 'gzip') return createGunzip({ chunkSize: outputChunkBytes });
  return zstd().createZstdDecompress({ chunkSize: outputChunkBytes });
}

/** True for the errors zlib raises on bytes that do not decode (gzip's `Z_…`, zstd's `ZSTD_…`). */
export function isCodecError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ZSTD_'));
}

/** What goes to the store, and how it is encoded. */
export interface EncodedPayload {
  stored: Uint8Array;
  encoding: ContentEncoding;
}

/** Compresses `payload` with `codec` when worthwhile; stores it as it is (`identity`) when not, or when `codec` is undefined. */
export async function encodePayload(payload: Uint8Array, codec: CompressionCodec | undefined): Promise<EncodedPayload> {
  if (codec === undefined || !looksCompressible(payload)) return { stored: payload, encoding: 'identity' };
  // The sample can be wrong: compression stops as soon as it would not save a byte.
  const compressed = await transformBuffer(createCompressor(codec), payload, payload.byteLength - 1);
  return compressed === undefined ? { stored: payload, encoding: 'identity' } : { stored: compressed, encoding: codec };
}

/**
 * Decodes a stored blob. Decoding stops as soon as the output exceeds `maxBytes`, so a corrupted or
 * hostile blob cannot inflate past it; that rejects, as does a blob that does not decode.
 */
export async function decodePayload(stored: Uint8Array, encoding: ContentEncoding, maxBytes: number): Promise<Uint8Array> {
  if (encoding === 'identity') return stored;
  const decoded = await transformBuffer(createDecompressor(encoding), stored, maxBytes);
  if (decoded === undefined) throw new Error(`decodes to more than ${maxBytes} bytes`);
  return decoded;
}

// Runs `input` through `transform` into one buffer; `undefined` once the output would exceed `maxOutputBytes`.
function transformBuffer(transform: Transform, input: Uint8Array, maxOutputBytes: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let length = 0;
    transform.on('data', (chunk: Buffer) => {
      length += chunk.byteLength;
      if (length > maxOutputBytes) {
        transform.destroy();
        resolve(undefined);
        return;
      }
      parts.push(chunk);
    });
    transform.on('error', reject);
    transform.on('end', () => {
      resolve(Buffer.concat(parts, length));
    });
    for (let offset = 0; offset < input.byteLength; offset += inputSliceBytes) {
      transform.write(input.subarray(offset, offset + inputSliceBytes));
    }
    transform.end();
  });
}
