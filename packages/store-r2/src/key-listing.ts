import type { ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { ClaimCheckError, isStoreKey, type BlobInfo } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';

/** Fetches one ListObjectsV2 page; `undefined` asks for the first. */
export type PageFetcher = (continuationToken: string | undefined) => Promise<ListObjectsV2CommandOutput>;

/**
 * Yields the blobs under `keyPrefix` with their size and time, page by page, as each page arrives. Only names that are
 * exactly `keyPrefix` + a store key count (`isStoreKey`: a UUID, or folders of a key prefix and a
 * UUID), so temporary files, look-alikes and stray objects never leak in. A truncated page without
 * a continuation token, or with one already seen, is a server fault: it would end the listing early
 * or loop forever.
 */
export async function* listStoreEntries(
  fetchPage: PageFetcher,
  keyPrefix: string,
  context: OperationContext,
  checkpoint: () => void,
): AsyncGenerator<BlobInfo> {
  const seenTokens = new Set<string>();
  let token: string | undefined;
  for (;;) {
    checkpoint();
    const page = await fetchPage(token);
    for (const object of page.Contents ?? []) {
      const name = object.Key;
      if (name === undefined || !name.startsWith(keyPrefix)) continue;
      const key = name.slice(keyPrefix.length);
      if (!isStoreKey(key)) continue;
      const { Size: size, LastModified: lastModified } = object;
      if (size === undefined || lastModified === undefined) throw listingFault(context, `${name} came without Size or LastModified`);
      checkpoint();
      yield { key, size, lastModified };
    }
    // A token sent along with a final page means nothing; only IsTruncated says whether more follow.
    if (page.IsTruncated !== true) return;
    const next = page.NextContinuationToken;
    if (next === undefined || next === '') throw listingFault(context, 'a truncated page came without a continuation token');
    if (seenTokens.has(next)) throw listingFault(context, `the continuation token ${JSON.stringify(next.slice(0, 64))} came back a second time`);
    seenTokens.add(next);
    token = next;
  }
}

function listingFault(context: OperationContext, detail: string): ClaimCheckError {
  return new ClaimCheckError({ ...context, code: 'STORE_FAILURE', detail: `ListObjectsV2: ${detail}` });
}
