import type { ClaimCheckManager } from '@claimcheck/manager';
import { takeUnheldBlobs } from './blob-registry.js';
import type { RegistryRedis } from './redis-access.js';

const deleteBatch = 500;

/** The sorted set, next to the queue's registry, of blobs no job holds, scored by the time they may be deleted. */
export function expiringKey(queueQualifiedName: string): string {
  return `${queueQualifiedName}:claimcheck:expiring`;
}

/** What one release did. */
export interface ReleaseOutcome {
  /** Blobs deleted. */
  released: number;
  /** The earliest time a blob still waiting may be deleted; undefined when none waits. */
  nextDueAt: number | undefined;
}

/**
 * Deletes the blobs whose jobs no longer exist in Redis once their keep-until time has passed: data at
 * once, a result when its retention ends. A job exists from `add` until BullMQ removes it
 * (removeOnComplete/removeOnFail, remove, clean, obliterate), so a blob outlives every retry. Blobs
 * whose jobs are gone wait in the queue's expiring set; one whose delete fails stays there for the next
 * call, and the first error is thrown.
 */
export async function releaseBlobs(redis: RegistryRedis, queueQualifiedName: string, manager: ClaimCheckManager, now = Date.now()): Promise<ReleaseOutcome> {
  const expiring = expiringKey(queueQualifiedName);
  await takeUnheldBlobs(redis, queueQualifiedName, async (blobs) => {
    await redis.zadd(expiring, ...blobs.flatMap(({ blobKey, keepUntil }) => [keepUntil, blobKey]));
  });
  const store = await manager.store;
  let released = 0;
  for (;;) {
    const due = await redis.zrangebyscore(expiring, '-inf', now, 'LIMIT', 0, deleteBatch);
    // Delete first, forget after: a crash between the two leaves a deleted blob listed, which the next call deletes again.
    const deletes = await Promise.allSettled(due.map((blobKey) => store.delete(blobKey)));
    const deleted = due.filter((_, index) => deletes[index]?.status === 'fulfilled');
    if (deleted.length > 0) await redis.zrem(expiring, ...deleted);
    released += deleted.length;
    const rejected = deletes.find((settled) => settled.status === 'rejected');
    if (rejected !== undefined) throw rejected.reason;
    if (due.length < deleteBatch) break;
  }
  const [, nextScore] = await redis.zrange(expiring, 0, 0, 'WITHSCORES');
  return { released, nextDueAt: nextScore === undefined ? undefined : Number(nextScore) };
}
