import type { ClaimCheckManager } from '@claimcheck/manager';
import { isReferenceObject, referenceText } from './payload-codec.js';

/**
 * Deletes blobs stored for jobs that were then not created, and rethrows `error`. Nothing refers to
 * them, so nothing is lost; if a delete fails too, the store's sweep removes the blob later.
 */
export async function discardBlobs(manager: ClaimCheckManager, carried: unknown[], error: unknown): Promise<never> {
  const references = carried.filter(isReferenceObject);
  await Promise.allSettled(references.map((reference) => manager.delete(referenceText(reference))));
  throw error;
}
