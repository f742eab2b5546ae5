import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

/** The part of `node:zlib`'s zstd support (Node ≥ 22.15) the manager uses. */
export interface ZstdBindings {
  createZstdCompress: (options: { chunkSize?: number; params?: Record<number, number> }) => Transform;
  createZstdDecompress: (options: { chunkSize?: number }) => Transform;
}

// Typed here because the workspace's @types/node predates zstd; the functions exist from Node 22.15.
const bindings = zlib as unknown as Partial<ZstdBindings>;

/** zstd's parameter number for the compression level (`ZSTD_c_compressionLevel`). */
export const zstdLevelParameter = 100;

/** `node:zlib`'s zstd functions, or `undefined` on a Node without them. */
export function zstdBindings(): ZstdBindings | undefined {
  const { createZstdCompress, createZstdDecompress } = bindings;
  return createZstdCompress === undefined || createZstdDecompress === undefined ? undefined : { createZstdCompress, createZstdDecompress };
}
