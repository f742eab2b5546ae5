/** One part of a streamed upload, cut by `cutParts`. */
export interface Part {
  /** 1-based, as S3 numbers parts. */
  number: number;
  /** The part's bytes: a whole part buffer, or the front of one for the last part. */
  bytes: Buffer;
  /** No byte follows this part. */
  last: boolean;
}

/**
 * The buffers parts are cut into, each of one part's size. A buffer given back after its part was
 * sent is reused, so an upload holds no more buffers than it has parts at once.
 */
export class PartBuffers {
  readonly #free: Buffer[] = [];
  readonly #partSizeBytes: number;

  constructor(partSizeBytes: number) {
    this.#partSizeBytes = partSizeBytes;
  }

  /** A buffer of one part's size; its bytes are whatever was there, since a part is written over in full. */
  take(): Buffer {
    // Slow: a buffer of its own, not a slice of the shared pool, so that giving it back frees it all.
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#partSizeBytes);
  }

  /** `part` (or the buffer it is the front of) is no longer read: the next part may be cut into it. */
  release(part: Buffer): void {
    if (part.byteOffset === 0 && part.buffer.byteLength === this.#partSizeBytes) {
      this.#free.push(Buffer.from(part.buffer, 0, this.#partSizeBytes));
    }
  }
}

/**
 * Cuts the chunks `read` returns into parts of `buffers`' size, copying each chunk's bytes once,
 * straight into a part's buffer, before the next chunk is read: a source may reuse its buffer for
 * the next chunk. A full part is yielded only once a byte after it has arrived, so that a stream of
 * exactly one part's size is a single part, marked `last`; an empty stream is one empty part.
 * The source is read only as fast as parts are asked for: the caller asks for the next part when it
 * can take it, and that bounds the memory to the parts it holds and the one being filled.
 */
export async function* cutParts(read: () => Promise<IteratorResult<Uint8Array>>, buffers: PartBuffers): AsyncGenerator<Part, void, undefined> {
  let number = 1;
  let part: Buffer | undefined;
  let filled = 0;
  for (let next = await read(); next.done !== true; next = await read()) {
    const chunk = next.value;
    for (let offset = 0; offset < chunk.byteLength; ) {
      if (part === undefined) {
        part = buffers.take();
      } else if (filled === part.byteLength) {
        yield { number, bytes: part, last: false };
        number += 1;
        part = buffers.take();
        filled = 0;
      }
      const length = Math.min(part.byteLength - filled, chunk.byteLength - offset);
      part.set(chunk.subarray(offset, offset + length), filled);
      filled += length;
      offset += length;
    }
  }
  yield { number, bytes: part === undefined ? Buffer.alloc(0) : part.subarray(0, filled), last: true };
}
