import type { ClaimCheckManager } from '@claimcheck/manager';
import { queueOfRegistry, registryKey, releaseBlobs } from './blob-registry.js';
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
 * Releases every queue's registry in this Redis, then deletes the store's blobs that none of them
 * records and that were written more than `olderThanMs` ago. A blob is recorded within moments of
 * being stored, so an old unrecorded one belongs to no job; this holds only when the store holds
 * nothing but the blobs of BullMQ queues in this Redis (database).
 */
export async function sweepOrphans(redis: RegistryRedis, manager: ClaimCheckManager, olderThanMs: number, signal?: AbortSignal): Promise<OrphanSweepReport> {
  const registries = await registryKeys(redis);
  const report: OrphanSweepReport = { released: 0, orphans: 0 };
  for (const queue of registries.map(queueOfRegistry)) {
    if (queue !== undefined) report.released += (await releaseBlobs(redis, queue, manager)).released;
  }
  const store = await manager.store;
  const operation = signal === undefined ? {} : { signal };
  const cutoff = Date.now() - olderThanMs;
  let candidates: string[] = [];
  const deleteUnrecorded = async () => {
    const unrecorded = await withoutRecord(redis, registries, candidates);
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

// Every queue's registry, whatever its prefix: the keys ending in the registry's suffix.
async function registryKeys(redis: RegistryRedis): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', registryKey('*'), 'COUNT', 1000);
    cursor = next;
    for (const key of found) keys.add(key);
  } while (cursor !== '0');
  return [...keys];
}

async function withoutRecord(redis: RegistryRedis, registries: string[], blobKeys: string[]): Promise<string[]> {
  if (blobKeys.length === 0 || registries.length === 0) return blobKeys;
  const pipeline = redis.pipeline();
  for (const blobKey of blobKeys) for (const registry of registries) pipeline.hexists(registry, blobKey);
  const replies = await pipelineReplies(pipeline, blobKeys.length * registries.length);
  return blobKeys.filter((_, index) => replies.slice(index * registries.length, (index + 1) * registries.length).every((reply) => reply === 0));
}
