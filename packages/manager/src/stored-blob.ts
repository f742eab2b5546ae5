import type { ObjectStore, OperationOptions } from '@claimcheck/core';
import { integrityError } from './integrity.js';
import type { Reference } from './reference.js';

/**
 * Reads the blob behind `reference` into one buffer of exactly `storedSize` bytes. A longer blob
 * (replaced, or a forged reference) fails with `INTEGRITY` as soon as it passes that size, without
 * reading the rest; a shorter one fails at its end.
 */
export async function readStoredBlob(store: ObjectStore, reference: Reference, options: OperationOptions): Promise<Uint8Array> {
  const blob = Buffer.allocUnsafeSlow(reference.storedSize);
  let length = 0;
  for await (const chunk of await store.getStream(reference.key, options)) {
    if (length + chunk.byteLength > reference.storedSize) {
      throw integrityError(reference, `is longer than the ${reference.storedSize} bytes the reference says (replaced)`);
    }
    blob.set(chunk, length);
    length += chunk.byteLength;
  }
  if (length !== reference.storedSize) {
    throw integrityError(reference, `is ${length} bytes, the reference says ${reference.storedSize} (truncated)`);
  }
  return blob;
}
