import { ClaimCheckError } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';

/** S3's (and R2's) longest object name, in UTF-8 bytes. */
export const maxObjectNameBytes = 1024;

/**
 * The object that holds `key`: `${bucketPrefix}${key}`. A key prefix can make a key up to 512
 * characters, so under a long bucket prefix the name could pass S3's 1024 bytes: such a key is
 * `INVALID_KEY` here, before any request, rather than a server's `KeyTooLongError`.
 */
export function objectNameOf(bucketPrefix: string, key: string, { operation, backend }: OperationContext): string {
  const name = `${bucketPrefix}${key}`;
  const bytes = Buffer.byteLength(name);
  if (bytes <= maxObjectNameBytes) return name;
  const detail = `invalid key ${key}: after the store's keyPrefix its object name would be ${bytes} bytes, over the ${maxObjectNameBytes} S3 allows`;
  throw new ClaimCheckError({ code: 'INVALID_KEY', operation, backend, detail });
}
