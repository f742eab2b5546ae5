import { randomBytes } from 'node:crypto';

/** Incompressible bytes. */
export function randomPayload(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

/** A JSON document of about `size` bytes, as a workflow step would produce: compressible. */
export function jsonPayload(size: number): Uint8Array {
  const rows: string[] = [];
  let length = 2;
  for (let index = 0; length < size; index++) {
    const row = JSON.stringify({ id: index, name: `customer-${index % 997}`, status: index % 3 ? 'active' : 'paused', score: (index * 7919) % 1000 });
    rows.push(row);
    length += row.length + 1;
  }
  return new TextEncoder().encode(`[${rows.join(',')}]`).subarray(0, Math.max(size, 2));
}

/** Every chunk of `data` as a stream, `chunkSize` bytes at a time. */
export async function* chunked(data: Uint8Array, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.byteLength; offset += chunkSize) yield data.subarray(offset, offset + chunkSize);
}

/** Reads a stream to the end. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts);
}
