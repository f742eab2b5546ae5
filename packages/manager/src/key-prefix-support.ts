import type { ObjectStore, PutOptions } from '@claimcheck/core';
import { assertKeyPrefix } from '@claimcheck/core/store-helpers';

/**
 * `INVALID_KEY` before anything is compressed or written, when a `keyPrefix` is malformed or the store
 * takes none: a store written before prefixes existed would otherwise ignore it and file the blob at
 * its root, out of reach of the lifecycle rule the prefix was for.
 */
export function assertStoreTakesPrefix(store: ObjectStore, { keyPrefix }: PutOptions, operation: string): void {
  if (keyPrefix !== undefined) assertKeyPrefix(keyPrefix, operation, store.name, store.capabilities.keyPrefixes === true);
}
