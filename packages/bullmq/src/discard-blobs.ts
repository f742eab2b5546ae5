import type { ClaimCheckManager } from '@claimcheck/manager';
import { validReferenceOf } from './blob-registry.js';
import { referenceBytes } from './payload-codec.js';
import type { CleanupWarner } from './warnings.js';

/**
 * Deletes blobs stored for jobs that were then not created, and rethrows `error`. Nothing refers to
 * them, so nothing is lost; a delete that fails too is a warning naming the key, and `sweepOrphans`
 * deletes that blob later.
 */
export async function discardBlobs(manager: ClaimCheckManager, warn: CleanupWarner, carried: unknown[], error: unknown): Promise<never> {
  await Promise.all(
    carried.map(async (value) => {
      const reference = validReferenceOf(value);
      const bytes = referenceBytes(value);
      if (reference === undefined || bytes === undefined) return;
      await manager.delete(bytes).catch((deleteError: unknown) => {
        warn(`could not delete blob ${reference.key}, stored for a job that was not created; sweepOrphans deletes it once it is older than its window`, deleteError, reference.key);
      });
    }),
  );
  throw error;
}
