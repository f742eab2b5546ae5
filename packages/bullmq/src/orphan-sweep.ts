import type { ClaimCheckManager } from '@claimcheck/manager';
import { registryKey } from './blob-registry.js';
import { expiringKey, releaseBlobs } from './blob-release.js';
import { pipelineReplies, type RegistryRedis } from './redis-access.js';

const batchSize = 500;

/** Options of `ClaimCheckQueue.sweepOrphans`. */
export interface OrphanSweepOptions {
  /** Unregistered blobs last written longer ago than this many milliseconds are deleted. Default: the queue's `resultRetentionMs`. */
  olderThanMs?: number;
  /** Stops the sweep; it then rejects with `ABORTED`, keeping what it already deleted deleted. */
  signal?: AbortSignal;
}

/** What one orphan sweep deleted. */
export interface OrphanSweepReport {
  /** Registered blobs of jobs that are gone, whose retention had passed: what `releaseBlobs` deletes, for every queue in this Redis. */
  released: number;
  /** Blobs that no queue's registry in this Redis records, older than `olderThanMs`: left by a Redis that lost its data, or a crash between storing and recording. */
  orphans: number;
}

/**
 * Releases every queue's blobs in this Redis, then deletes the store's blobs that none of them
 * records and that were written more than `olderThanMs` ago. A blob is recorded within moments of
 * being stored, so an old unrecorded one belongs to no job; this holds only when the store holds
 * nothing but the blobs of BullMQ queues in this Redis (database).
 */
export async function sweepOrphans(redis: RegistryRedis, manager: ClaimCheckManager, olderThanMs: number, signal?: AbortSignal): Promise<OrphanSweepReport> {
  const queues = await queuesWithBlobs(redis);
  const report: OrphanSweepReport = { released: 0, orphans: 0 };
  for (const queue of queues) report.released += (await releaseBlobs(redis, queue, manager)).released;
  const store = await manager.store;
  const operation = signal === undefined ? {} : { signal };
  const cutoff = Date.now() - olderThanMs;
  let candidates: string[] = [];
  const deleteUnrecorded = async () => {
    const unrecorded = await withoutRecord(redis, queues, candidates);
    candidates = [];
    for (const key of unrecorded) await store.delete(key, operation);
    report.orphans += unrecorded.length;
  };
  for await (const { key, lastModified } of store.listEntries(operation)) {
    if (lastModified.getTime() >= cutoff) continue;
    candidates.push(key);
    if (candidates.length >= batchSize) await deleteUnrecorded();
  }
  await deleteUnrecorded();
  return report;
}

// Every queue that records blobs, whatever its prefix: the keys of its registry or its expiring set.
async function queuesWithBlobs(redis: RegistryRedis): Promise<string[]> {
  const suffixes = [registryKey(''), expiringKey('')];
  const queues = new Set<string>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', '*:claimcheck:*', 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      const suffix = suffixes.find((candidate) => key.endsWith(candidate));
      if (suffix !== undefined) queues.add(key.slice(0, -suffix.length));
    }
  } while (cursor !== '0');
  return [...queues];
}

// A blob is recorded while its queue's registry lists it, or its expiring set holds it.
async function withoutRecord(redis: RegistryRedis, queues: string[], blobKeys: string[]): Promise<string[]> {
  if (blobKeys.length === 0 || queues.length === 0) return blobKeys;
  const pipeline = redis.pipeline();
  for (const blobKey of blobKeys) {
    for (const queue of queues) {
      pipeline.hexists(registryKey(queue), blobKey);
      pipeline.zscore(expiringKey(queue), blobKey);
    }
  }
  const perBlob = queues.length * 2;
  const replies = await pipelineReplies(pipeline, blobKeys.length * perBlob);
  return blobKeys.filter((_, index) => replies.slice(index * perBlob, (index + 1) * perBlob).every((reply) => reply === 0 || reply === null));
}
