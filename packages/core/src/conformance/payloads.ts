import { createHash } from 'node:crypto';

/** One mebibyte. */
export const MiB = 1024 * 1024;

/** Random bytes: incompressible, so no store can pass by accident of compression or patterns. */
export function randomPayload(size: number): Uint8Array {
  const payload = new Uint8Array(size);
  // Web Crypto fills at most 64 KiB per call, and in workerd `randomBytes` is Web Crypto: the suite runs there too.
  for (let offset = 0; offset < size; offset += maxRandomBytesPerCall) {
    crypto.getRandomValues(payload.subarray(offset, Math.min(size, offset + maxRandomBytesPerCall)));
  }
  return payload;
}

const maxRandomBytesPerCall = 65_536;

/** Every byte value 0–255, twice over, in an order where no byte equals its neighbour. */
export function allByteValues(): Uint8Array {
  const bytes = new Uint8Array(512);
  for (let index = 0; index < 512; index++) bytes[index] = (index * 167) % 256;
  return bytes;
}

/** A stream produced chunk by chunk on demand, with the digest of what it produced so far. */
export interface LazyPayload {
  stream: AsyncGenerator<Uint8Array>;
  /** Bytes produced so far; all of them once the stream is drained. */
  produced: () => { length: number; sha256: string };
}

/** A lazily produced stream of `size` random bytes in chunks of `chunkSize`, yielding to the event loop between chunks. */
export function lazyPayload(size: number, chunkSize = MiB): LazyPayload {
  const hash = createHash('sha256');
  let length = 0;
  async function* stream(): AsyncGenerator<Uint8Array> {
    while (length < size) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const chunk = randomPayload(Math.min(chunkSize, size - length));
      hash.update(chunk);
      length += chunk.byteLength;
      yield chunk;
    }
  }
  return {
    stream: stream(),
    produced: () => ({ length, sha256: hash.copy().digest('hex') }),
  };
}
