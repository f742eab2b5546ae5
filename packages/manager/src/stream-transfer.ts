import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { ClaimCheckError, isClaimCheckError, type ByteStream, type ObjectStore, type PutOptions } from '@claimcheck/core';
import { checkedChunks } from '@claimcheck/core/store-helpers';
import { assertStoreTakesPrefix } from './key-prefix-support.js';
import {
  compressionSampleBytes,
  createCompressor,
  createDecompressor,
  isCodecError,
  looksCompressible,
  type CompressionCodec,
} from './compression.js';
import { integrityError } from './integrity.js';
import { payloadTooLargeError } from './payload-limit.js';
import { encodeReference, hasReferenceMarker, newReference, type ContentEncoding, type Reference } from './reference.js';

/** What `offloadStream` needs from the manager. */
export interface OffloadStreamContext {
  /** Streams that end within this many bytes stay inline: `-1` when forced. */
  thresholdBytes: number;
  /** False for a disabled manager: a stream longer than the threshold is refused, not stored. */
  storesLongerStreams: boolean;
  /** The codec, or `undefined` when compression is disabled. */
  codec: CompressionCodec | undefined;
  store: () => Promise<ObjectStore>;
  onInline: (bytes: number) => void;
  onOffload: (event: { bytes: number; storedBytes: number; encoding: ContentEncoding; key: string }) => void;
}

/**
 * Buffers the first `thresholdBytes + 1` bytes of `source` (at least the compressibility sample): a
 * stream that ends within the threshold is returned inline; a longer one streams on, hashed and (if
 * the head looks compressible) compressed, to the store. Every read of `source` is abort-aware.
 */
export async function offloadStream(
  source: ByteStream,
  options: PutOptions,
  context: OffloadStreamContext,
): Promise<Uint8Array> {
  const operation = { operation: 'offloadStream', backend: 'manager' };
  const chunks = checkedChunks(source, options.signal, operation);
  // The head decides inline or not, and feeds the compressibility sample.
  const { head, ended } = await readHead(chunks, Math.max(context.thresholdBytes + 1, compressionSampleBytes));
  if (ended && head.byteLength <= context.thresholdBytes && (!context.storesLongerStreams || !hasReferenceMarker(head))) {
    context.onInline(head.byteLength);
    return head;
  }
  try {
    if (!context.storesLongerStreams) {
      // A disabled manager returns streams inline, so the inline limit is its memory bound.
      throw payloadTooLargeError('offloadStream', 'the stream (returned inline, as the manager is disabled)', context.thresholdBytes);
    }
    const store = await context.store();
    assertStoreTakesPrefix(store, options, 'offloadStream');
    const encoding: ContentEncoding = context.codec !== undefined && looksCompressible(head) ? context.codec : 'identity';
    const hash = createHash('sha256');
    let size = 0;
    const counted = (chunk: Uint8Array): Uint8Array => {
      hash.update(chunk);
      size += chunk.byteLength;
      return chunk;
    };
    async function* original(): AsyncGenerator<Uint8Array> {
      yield counted(head);
      for await (const chunk of chunks) yield counted(chunk);
    }
    let storedSize = 0;
    async function* stored(): AsyncGenerator<Uint8Array> {
      for await (const chunk of encoding === 'identity' ? original() : through(original(), createCompressor(encoding))) {
        storedSize += chunk.byteLength;
        yield chunk;
      }
    }
    const key = await store.putStream(stored(), options);
    context.onOffload({ bytes: size, storedBytes: storedSize, encoding, key });
    return encodeReference(newReference({ storage: store.name, key, size, storedSize, encoding, sha256: hash.digest('hex') }));
  } finally {
    // If the store failed before draining the source (no backend, closed), the source is still open.
    // Not awaited: when a read of a stalled source is still pending, return() waits behind it for
    // ever, and the caller must get the store's error now.
    chunks.return(undefined).catch(() => undefined);
  }
}

/** What `retrieveStream` reports back to the manager. */
export interface RetrieveStreamHooks {
  onComplete: (storedBytes: number) => void;
  onError: (error: unknown) => void;
}

/**
 * Decodes a stored blob as it streams, checking stored size, decoded size and SHA-256 against the
 * reference. A mismatch fails the stream with `INTEGRITY` as soon as it is detectable.
 */
export async function* retrieveStream(
  reference: Reference,
  stored: AsyncIterable<Uint8Array>,
  hooks: RetrieveStreamHooks,
): AsyncGenerator<Uint8Array> {
  let storedSize = 0;
  async function* countedStored(): AsyncGenerator<Uint8Array> {
    for await (const chunk of stored) {
      storedSize += chunk.byteLength;
      if (storedSize > reference.storedSize) throw integrityError(reference, `is longer than the ${reference.storedSize} bytes the reference says`, undefined, 'retrieveStream');
      yield chunk;
    }
  }
  const hash = createHash('sha256');
  let size = 0;
  try {
    const decoded = reference.encoding === 'identity' ? countedStored() : through(countedStored(), createDecompressor(reference.encoding));
    try {
      for await (const chunk of decoded) {
        size += chunk.byteLength;
        if (size > reference.size) throw integrityError(reference, `decodes to more than the ${reference.size} bytes the reference says`, undefined, 'retrieveStream');
        hash.update(chunk);
        yield chunk;
      }
    } catch (error) {
      throw asRetrieveError(error, reference);
    }
    if (storedSize !== reference.storedSize) {
      throw integrityError(reference, `is ${storedSize} bytes, the reference says ${reference.storedSize} (truncated)`, undefined, 'retrieveStream');
    }
    if (size !== reference.size || hash.digest('hex') !== reference.sha256) {
      throw integrityError(reference, 'does not match the reference’s size and SHA-256 (corrupted)', undefined, 'retrieveStream');
    }
    hooks.onComplete(storedSize);
  } catch (error) {
    hooks.onError(error);
    throw error;
  }
}

// Only the codec's complaints mean the stored bytes are bad; any other failure is the transport's.
function asRetrieveError(error: unknown, reference: Reference): ClaimCheckError {
  if (isClaimCheckError(error)) return error;
  if (reference.encoding !== 'identity' && isCodecError(error)) {
    return integrityError(reference, `does not decode as ${reference.encoding}`, error, 'retrieveStream');
  }
  const detail = `reading blob ${reference.key} failed: ${String(error)}`;
  return new ClaimCheckError({ code: 'STORE_FAILURE', operation: 'retrieveStream', backend: 'manager', detail, cause: error });
}

// Pipes an async iterable through a transform; an error on either side fails the iteration.
function through(source: AsyncIterable<Uint8Array>, transform: NodeJS.ReadWriteStream): AsyncIterable<Uint8Array> {
  return pipeline(Readable.from(source), transform, () => undefined) as unknown as AsyncIterable<Uint8Array>;
}

async function readHead(chunks: AsyncGenerator<Uint8Array>, headBytes: number): Promise<{ head: Uint8Array; ended: boolean }> {
  const parts: Uint8Array[] = [];
  let length = 0;
  while (length < headBytes) {
    const next = await chunks.next();
    if (next.done === true) return { head: Buffer.concat(parts, length), ended: true };
    // A copy: the source may reuse its buffer for the next chunk.
    parts.push(next.value.slice());
    length += next.value.byteLength;
  }
  return { head: Buffer.concat(parts, length), ended: false };
}
