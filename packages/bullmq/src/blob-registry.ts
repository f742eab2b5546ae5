import type { Reference } from '@claimcheck/manager';
import { referenceOf } from './payload-codec.js';
import { pipelineReplies, type RegistryRedis } from './redis-access.js';

const scanBatch = 500;

/** The hash, next to the queue's own keys, that lists every blob a job of the queue holds. */
export function registryKey(queueQualifiedName: string): string {
  return `${queueQualifiedName}:claimcheck:blobs`;
}

/** Who holds a blob, and how long it outlives them. */
export interface BlobHolders {
  /** Redis keys of the jobs that refer to the blob: the job's own, and for a child's result its parent's. */
  jobKeys: string[];
  /** Epoch milliseconds before which the blob is kept even once no holder exists (0: released with its holders). */
  keepUntil: number;
}

/** The part of a job its blobs' holders are named from: a BullMQ `Job` or `JobNode['job']`. */
export interface HoldingJob {
  queueQualifiedName: string;
  id?: string | undefined;
  parentKey?: string | undefined;
}

/**
 * Who holds a blob `job` stores: the job itself; for a result also the parent of a flow child, which
 * reads it through `getChildrenValues()` after the child is gone. A result outlives its holders by
 * `resultRetentionMs`, for `QueueEvents` consumers; data goes with its job.
 */
export function holdersFor(job: HoldingJob, role: 'data' | 'result', resultRetentionMs = 0): BlobHolders {
  const own = `${job.queueQualifiedName}:${job.id ?? ''}`;
  if (role === 'data') return { jobKeys: [own], keepUntil: 0 };
  return { jobKeys: job.parentKey === undefined ? [own] : [own, job.parentKey], keepUntil: Date.now() + resultRetentionMs };
}

// One registry field per blob, keyed by its store key; the value is this, as JSON.
interface RegistryValue {
  holders: string[];
  keepUntil: number;
  // The reference as the job carries it (the manager's JSON), so that it parses again when read.
  reference: unknown;
}

/** The reference `value` carries, parsed by the manager; undefined for anything else (inline data, a forged reference), which names no blob of ours. */
export function validReferenceOf(value: unknown): Reference | undefined {
  try {
    return referenceOf(value);
  } catch {
    return undefined;
  }
}

/**
 * Records that the blobs behind `values` (values that are not references are skipped) are held as
 * `holders` says. Recording one twice is harmless: the later record wins.
 */
export async function registerBlobs(redis: RegistryRedis, queueQualifiedName: string, holders: BlobHolders, values: unknown[]): Promise<void> {
  await Promise.all(
    values.map(async (carried) => {
      const reference = validReferenceOf(carried);
      if (reference === undefined) return;
      const value: RegistryValue = { holders: holders.jobKeys, keepUntil: holders.keepUntil, reference: carried };
      await redis.hset(registryKey(queueQualifiedName), reference.key, JSON.stringify(value));
    }),
  );
}

/** A registered blob that no job holds any more: its store key and the time it may be deleted. */
export interface UnheldBlob {
  blobKey: string;
  keepUntil: number;
}

/**
 * Takes the blobs that no job holds any more out of the queue's registry, after `moveOut` has put them
 * somewhere else (it must be idempotent: a crash between the two hands them over again). The registry
 * then holds only blobs of jobs that may still exist, so a scan costs what the queue keeps, not what
 * waits out its retention.
 */
export async function takeUnheldBlobs(redis: RegistryRedis, queueQualifiedName: string, moveOut: (blobs: UnheldBlob[]) => Promise<void>): Promise<void> {
  const key = registryKey(queueQualifiedName);
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', scanBatch);
    cursor = next;
    const unheld = await entriesWithoutHolders(redis, pairs(flat));
    if (unheld.length === 0) continue;
    await moveOut(unheld.map(({ blobKey, value }) => ({ blobKey, keepUntil: value.keepUntil })));
    await redis.hdel(key, ...unheld.map(({ blobKey }) => blobKey));
  } while (cursor !== '0');
}

interface RegistryEntry {
  blobKey: string;
  value: RegistryValue;
}

function pairs(flat: string[]): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const value = parseValue(flat[index + 1] ?? '');
    // A field this package did not write is left alone: its blob cannot be named from it.
    if (value !== undefined) entries.push({ blobKey: flat[index] ?? '', value });
  }
  return entries;
}

function parseValue(text: string): RegistryValue | undefined {
  try {
    const value = JSON.parse(text) as Partial<RegistryValue>;
    const valid = Array.isArray(value.holders) && typeof value.keepUntil === 'number' && validReferenceOf(value.reference) !== undefined;
    return valid ? (value as RegistryValue) : undefined;
  } catch {
    return undefined;
  }
}

async function entriesWithoutHolders(redis: RegistryRedis, entries: RegistryEntry[]): Promise<RegistryEntry[]> {
  const jobKeys = [...new Set(entries.flatMap(({ value }) => value.holders))];
  if (jobKeys.length === 0) return entries;
  const pipeline = redis.pipeline();
  for (const jobKey of jobKeys) pipeline.exists(jobKey);
  const replies = await pipelineReplies(pipeline, jobKeys.length);
  const existing = new Set(jobKeys.filter((_, index) => replies[index] !== 0));
  return entries.filter(({ value }) => !value.holders.some((jobKey) => existing.has(jobKey)));
}
