import type { ClaimCheckManager } from '@claimcheck/manager';
import { isReferenceObject, referenceText } from './payload-codec.js';
import type { RegistryRedis } from './redis-access.js';

const scanBatch = 500;

/** The hash, next to the queue's own keys, that lists every blob a job of the queue holds. */
export function registryKey(queueQualifiedName: string): string {
  return `${queueQualifiedName}:claimcheck:blobs`;
}

/**
 * Records that job `jobId` of the queue holds the blobs behind `values` (values that are not references
 * are skipped). Each blob is a field keyed by its store key, so recording one twice is harmless.
 */
export async function registerBlobs(redis: RegistryRedis, queueQualifiedName: string, jobId: string, values: unknown[]): Promise<void> {
  const references = values.filter(isReferenceObject);
  await Promise.all(
    references.map((reference) => redis.hset(registryKey(queueQualifiedName), reference.key, `${jobId}\n${referenceText(reference)}`)),
  );
}

/**
 * Deletes the blobs of jobs that no longer exist in Redis, then forgets them. A job exists from `add`
 * until BullMQ removes it (removeOnComplete/removeOnFail, remove, clean, obliterate), so a blob outlives
 * every retry. A blob whose delete fails stays registered for the next call, and the error is thrown.
 * Resolves with the number of blobs deleted.
 */
export async function releaseBlobs(redis: RegistryRedis, queueQualifiedName: string, manager: ClaimCheckManager): Promise<number> {
  const key = registryKey(queueQualifiedName);
  let cursor = '0';
  let released = 0;
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', scanBatch);
    cursor = next;
    const entries = pairs(flat);
    const orphans = await entriesOfMissingJobs(redis, queueQualifiedName, entries);
    // Delete first, forget after: a crash between the two leaves a registered, already deleted blob, which the next call deletes again.
    await Promise.all(orphans.map(({ reference }) => manager.delete(reference)));
    if (orphans.length > 0) await redis.hdel(key, ...orphans.map(({ blobKey }) => blobKey));
    released += orphans.length;
  } while (cursor !== '0');
  return released;
}

interface RegistryEntry {
  blobKey: string;
  jobId: string;
  reference: string;
}

function pairs(flat: string[]): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const value = flat[index + 1] ?? '';
    const separator = value.indexOf('\n');
    entries.push({ blobKey: flat[index] ?? '', jobId: value.slice(0, separator), reference: value.slice(separator + 1) });
  }
  return entries;
}

async function entriesOfMissingJobs(redis: RegistryRedis, queueQualifiedName: string, entries: RegistryEntry[]): Promise<RegistryEntry[]> {
  if (entries.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const { jobId } of entries) pipeline.exists(`${queueQualifiedName}:${jobId}`);
  const results = (await pipeline.exec()) ?? [];
  return entries.filter((_, index) => {
    const [error, exists] = results[index] ?? [new Error('no reply'), 1];
    if (error !== null) throw error;
    return exists === 0;
  });
}
