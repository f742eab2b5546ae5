import { ClaimCheckError } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';

/** S3's (and R2's) longest object name, in UTF-8 bytes. */
export const maxObjectNameBytes = 1024;

/**
 * Names the object that holds a key: `${bucketPrefix}${key}`. A key prefix can make a key up to 512
 * characters, so under a long bucket prefix the name could pass S3's 1024 bytes: such a key is
 * `INVALID_KEY` here, before any request, rather than a server's `KeyTooLongError`. The prefix is
 * measured once; a key is ASCII (core's key grammar), one byte per character.
 */
export function objectNamer(bucketPrefix: string): (key: string, context: OperationContext) => string {
  const prefixBytes = Buffer.byteLength(bucketPrefix);
  return (key, { operation, backend }) => {
    const bytes = prefixBytes + key.length;
    if (bytes <= maxObjectNameBytes) return `${bucketPrefix}${key}`;
    const detail = `invalid key ${key}: after the store's keyPrefix its object name would be ${bytes} bytes, over the ${maxObjectNameBytes} S3 allows`;
    throw new ClaimCheckError({ code: 'INVALID_KEY', operation, backend, detail });
  };
}
