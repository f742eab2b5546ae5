import { ClaimCheckError, isStoreKey, type BlobInfo } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';
import type { R2BucketLike } from './r2-binding.js';

/**
 * Yields the blobs under `keyPrefix`, nested keys included, page by page through the binding's cursor,
 * with each object's `size` and `uploaded` time. As in `R2Store`, only names that are exactly the
 * prefix plus a store key count, and a truncated page without a new cursor is a fault rather than the end.
 */
export async function* listBindingEntries(
  bucket: R2BucketLike,
  keyPrefix: string,
  context: OperationContext,
  checkpoint: () => void,
): AsyncGenerator<BlobInfo> {
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    checkpoint();
    // No delimiter: keys put under a key prefix sit in folders below the store's prefix.
    const page = await bucket.list({ prefix: keyPrefix, ...(cursor === undefined ? {} : { cursor }) });
    for (const object of page.objects) {
      const key = object.key.slice(keyPrefix.length);
      if (!object.key.startsWith(keyPrefix) || !isStoreKey(key)) continue;
      checkpoint();
      yield { key, size: object.size, lastModified: object.uploaded };
    }
    if (!page.truncated) return;
    const next = page.cursor;
    if (next === undefined || next === '') throw listingFault(context, 'a truncated page came without a cursor');
    if (seenCursors.has(next)) throw listingFault(context, 'the same cursor came back a second time');
    seenCursors.add(next);
    cursor = next;
  }
}

function listingFault(context: OperationContext, detail: string): ClaimCheckError {
  return new ClaimCheckError({ ...context, code: 'STORE_FAILURE', detail: `list: ${detail}` });
}
