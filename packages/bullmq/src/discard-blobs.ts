import type { ClaimCheckManager } from '@claimcheck/manager';
import { isReferenceObject, referenceText } from './payload-codec.js';
import type { CleanupWarner } from './warnings.js';

/**
 * Deletes blobs stored for jobs that were then not created, and rethrows `error`. Nothing refers to
 * them, so nothing is lost; a delete that fails too is a warning naming the key, and `sweepOrphans`
 * deletes that blob later.
 */
export async function discardBlobs(manager: ClaimCheckManager, warn: CleanupWarner, carried: unknown[], error: unknown): Promise<never> {
  const references = carried.filter(isReferenceObject);
  await Promise.all(
    references.map((reference) =>
      manager.delete(referenceText(reference)).catch((deleteError: unknown) => {
        warn(`could not delete blob ${reference.key}, stored for a job that was not created; sweepOrphans deletes it once it is older than its window`, deleteError, reference.key);
      }),
    ),
  );
  throw error;
}
