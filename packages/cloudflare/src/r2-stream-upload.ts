import type { R2BucketLike, R2MultipartUploadLike, R2PutOptionsLike } from './r2-binding.js';

/** R2 takes parts of 5 MiB or more, all of one size but the last; 8 MiB keeps part counts low. */
export const partBytes = 8 * 1024 * 1024;

/** Raised when a multipart upload failed after it was opened: the caller must abort it. */
export class OpenUploadFailure extends Error {
  constructor(
    readonly upload: R2MultipartUploadLike,
    readonly reason: unknown,
  ) {
    super('multipart upload failed', { cause: reason });
  }
}

/** How `uploadStream` writes. */
export interface StreamUploadOptions {
  /** Writes a source that fits in one part as a single object. */
  putWhole: (data: Uint8Array) => Promise<void>;
  /** The content type of a multipart object. */
  httpMetadata: R2PutOptionsLike['httpMetadata'];
  /** Throws when the operation was aborted; called between parts. */
  checkpoint: () => void;
}

/**
 * Streams `source` into the object `name` with memory bounded by one part: a source shorter than one
 * part is one conditional `put`; a longer one is a multipart upload of `partBytes` parts.
 */
export async function uploadStream(
  bucket: R2BucketLike,
  name: string,
  source: AsyncIterable<Uint8Array>,
  { putWhole, httpMetadata, checkpoint }: StreamUploadOptions,
): Promise<void> {
  const parts = fixedSizeParts(source, partBytes);
  const first = await parts.next();
  const second = first.done === true ? first : await parts.next();
  if (second.done === true) {
    await putWhole(first.done === true ? new Uint8Array(0) : first.value);
    return;
  }
  checkpoint();
  const upload = await bucket.createMultipartUpload(name, httpMetadata === undefined ? {} : { httpMetadata });
  try {
    const uploaded = [await upload.uploadPart(1, first.value as Uint8Array), await upload.uploadPart(2, second.value)];
    for await (const part of { [Symbol.asyncIterator]: () => parts }) {
      checkpoint();
      uploaded.push(await upload.uploadPart(uploaded.length + 1, part));
    }
    checkpoint();
    await upload.complete(uploaded);
  } catch (error) {
    throw new OpenUploadFailure(upload, error);
  }
}

// Regroups chunks of any size into parts of exactly `size` bytes, the last one shorter. Each part is a
// fresh buffer: a source may reuse its chunk's memory.
async function* fixedSizeParts(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array, void, undefined> {
  let part = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const taken = Math.min(size - filled, chunk.byteLength - offset);
      part.set(chunk.subarray(offset, offset + taken), filled);
      filled += taken;
      offset += taken;
      if (filled === size) {
        yield part;
        part = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
}
