import { createHash } from 'node:crypto';
import { ClaimCheckError } from '@claimcheck/core';
import type { Reference } from './reference.js';

// One hash update takes at most this much: a single update of 2 GiB or more throws a RangeError.
const hashSliceBytes = 64 * 1024 * 1024;

/** SHA-256 of `data`, lowercase hex; any size, hashed in slices of `sliceBytes`. */
export function sha256Hex(data: Uint8Array, sliceBytes = hashSliceBytes): string {
  const hash = createHash('sha256');
  for (let offset = 0; offset < data.byteLength; offset += sliceBytes) hash.update(data.subarray(offset, offset + sliceBytes));
  return hash.digest('hex');
}

/** The `INTEGRITY` error for a blob that does not match its reference. */
export function integrityError(reference: Reference, detail: string, cause?: unknown, operation = 'retrieve'): ClaimCheckError {
  return new ClaimCheckError({
    code: 'INTEGRITY',
    operation,
    backend: 'manager',
    detail: `blob ${reference.key} in ${reference.storage} ${detail}; refusing to return it`,
    cause,
  });
}
