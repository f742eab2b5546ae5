import { createHash } from 'node:crypto';
import { ClaimCheckError } from '@claimcheck/core';
import type { Reference } from './reference.js';

/** SHA-256 of `data`, lowercase hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
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
