import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ClaimCheckError, isClaimCheckError, MemoryStore, type ObjectStore } from '@claimcheck/core';
import { ClaimCheckQueue, ClaimCheckWorker, referenceOf } from '@claimcheck/bullmq';
import { Worker, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import {
  blobCount,
  catching,
  claimCheckWorker,
  connection,
  dataOfSize,
  eventually,
  filesystemStore,
  managerFor,
  plainQueue,
  queueEvents,
  redisClient,
} from './support/fixtures.js';

interface Data {
  seed: number;
  text: string;
}

async function setup(store: ObjectStore = new MemoryStore()) {
  const manager = await managerFor(store);
  const queue = new ClaimCheckQueue<Data, unknown>(plainQueue(), { manager });
  return { manager, queue, events: await queueEvents(queue.queue.name) };
}

describe('ClaimCheckWorker with a processor function', () => {
  it('gives the processor the original data, typed, and offloads a large return value that resolves back', async () => {
    const store = new MemoryStore();
    const { manager, queue, events } = await setup(store);
    const seen: Data[] = [];
    claimCheckWorker<Data, { echo: string }>(queue.queue.name, async (job: Job<Data, { echo: string }>) => {
      seen.push(job.data);
      return { echo: job.data.text.repeat(2) };
    }, { connection: connection(), manager });
    const data = dataOfSize(50_000, 4);
    const job = await queue.add('big', data);
    const completed = new Promise<unknown>((resolve) => {
      events.once('completed', ({ returnvalue }) => {
        resolve(returnvalue);
      });
    });
    const result = await queue.waitUntilFinished(job, events);
    expect(seen).toEqual([data]);
    expect(result).toEqual({ echo: data.text.repeat(2) });
    // Redis holds a reference for the return value, and every way of reading it resolves back.
    const stored = (await redisClient().hget(queue.queue.toKey(String(job.id)), 'returnvalue')) ?? '';
    expect(stored.length).toBeLessThan(512);
    expect(await queue.resolveValue(await completed)).toEqual(result);
    expect((await queue.getJob(String(job.id)))?.returnvalue).toEqual(result);
    expect(await blobCount(store)).toBe(2);
  });

  it('is a BullMQ Worker that patches neither itself nor its jobs', async () => {
    const { manager, queue, events } = await setup();
    const patched: string[] = [];
    const worker = claimCheckWorker<Data, string>(queue.queue.name, async (job) => {
      // updateData comes from the worker's Job class, not from a property set on this job.
      if (Object.hasOwn(job, 'updateData')) patched.push('job.updateData');
      await job.updateData({ seed: 2, text: 'v'.repeat(3000) });
      return job.data.text.slice(0, 1);
    }, { connection: connection(), manager });
    expect(worker).toBeInstanceOf(Worker);
    expect(worker).toBeInstanceOf(ClaimCheckWorker);
    expect(Object.hasOwn(worker, 'close')).toBe(false);
    const job = await queue.add('shape', dataOfSize(2000, 1));
    await expect(queue.waitUntilFinished(job, events)).resolves.toBe('v');
    expect(patched).toEqual([]);
    expect((await queue.getJob(String(job.id)))?.data).toEqual({ seed: 2, text: 'v'.repeat(3000) });
  });

  it('recognises references with the manager\'s parser: an altered one fails its job with INVALID_REFERENCE, at once', async () => {
    const { manager, queue, events } = await setup();
    const job = await queue.add('altered', dataOfSize(5000), { attempts: 3 });
    const redis = redisClient();
    const jobKey = queue.queue.toKey(String(job.id));
    const stored = (await redis.hget(jobKey, 'data')) ?? '';
    const reference = referenceOf(JSON.parse(stored));
    expect(reference?.size).toBe(JSON.stringify(dataOfSize(5000)).length);
    // Same shape, same key, one field changed: only the manager's checksum tells it from the real one.
    const altered = stored.replace(`"size":${String(reference?.size)}`, `"size":${String((reference?.size ?? 0) + 1)}`);
    expect(altered).not.toBe(stored);
    await redis.hset(jobKey, 'data', altered);
    expect(catching(() => referenceOf(JSON.parse(altered)))).toSatisfy((error) => isClaimCheckError(error) && error.code === 'INVALID_REFERENCE');
    let ran = false;
    claimCheckWorker<Data, string>(queue.queue.name, async () => {
      ran = true;
      return 'ran';
    }, { connection: connection(), manager });
    await expect(queue.waitUntilFinished(job, events)).rejects.toThrow('[INVALID_REFERENCE]');
    expect(ran).toBe(false);
    expect((await queue.queue.getJob(String(job.id)))?.attemptsMade).toBe(1);
    expect(referenceOf(dataOfSize(10))).toBeUndefined();
  });

  it('offloads job.updateData the same way, and later attempts see the updated data', async () => {
    const { manager, queue, events } = await setup();
    const attempts: Data[] = [];
    claimCheckWorker<Data, string>(queue.queue.name, async (job) => {
      attempts.push(job.data);
      if (job.attemptsMade === 0) {
        await job.updateData({ seed: 9, text: 'u'.repeat(20_000) });
        throw new Error('first attempt fails after updating');
      }
      return 'done';
    }, { connection: connection(), manager });
    const job = await queue.add('update', dataOfSize(10_000, 1), { attempts: 2 });
    await expect(queue.waitUntilFinished(job, events)).resolves.toBe('done');
    expect(attempts).toEqual([dataOfSize(10_000, 1), { seed: 9, text: 'u'.repeat(20_000) }]);
    const stored = (await redisClient().hget(queue.queue.toKey(String(job.id)), 'data')) ?? '';
    expect(stored).toMatch(/^\{"claimcheck":"reference"/);
  });

  it('fails a job whose blob was deleted while it waited, naming the reference, without running the processor', async () => {
    const store = new MemoryStore();
    const { manager, queue, events } = await setup(store);
    const job = await queue.add('orphaned', dataOfSize(5000), { attempts: 3, backoff: { type: 'fixed', delay: 10 } });
    const reference = JSON.parse((await redisClient().hget(queue.queue.toKey(String(job.id)), 'data')) ?? '') as { key: string };
    await store.delete(reference.key);
    let ran = false;
    claimCheckWorker<Data, string>(queue.queue.name, async () => {
      ran = true;
      return 'ran';
    }, { connection: connection(), manager });
    await expect(queue.waitUntilFinished(job, events)).rejects.toThrow(reference.key);
    expect(ran).toBe(false);
    const failed = await queue.queue.getJob(String(job.id));
    expect(failed?.failedReason).toContain('[NOT_FOUND]');
    expect(failed?.failedReason).toContain(reference.key);
    // A missing blob is permanent: the job fails on its first attempt instead of retrying.
    expect(failed?.attemptsMade).toBe(1);
  });

  it('reports a store failure while resolving as a BullMQ failure carrying the claimcheck code', async () => {
    const store = new MemoryStore();
    const { manager, queue, events } = await setup(store);
    const job = await queue.add('unavailable', dataOfSize(5000));
    // A fault a memory store cannot produce for real: from now on every read fails as an unreachable store's would.
    const unavailable = new ClaimCheckError({ code: 'UNAVAILABLE', operation: 'get', backend: 'memory', detail: 'connect ECONNREFUSED' });
    Object.assign(store, { get: () => Promise.reject(unavailable), getStream: () => Promise.reject(unavailable) });
    claimCheckWorker<Data, string>(queue.queue.name, async () => 'ran', { connection: connection(), manager });
    await expect(queue.waitUntilFinished(job, events)).rejects.toThrow('[UNAVAILABLE]');
    expect((await queue.queue.getJob(String(job.id)))?.failedReason).toMatch(/\[UNAVAILABLE\].*ECONNREFUSED/);
  });

  it('keeps the blob through every retry with backoff and runs each attempt on the original data', async () => {
    const store = new MemoryStore();
    const { manager, queue, events } = await setup(store);
    const seen: string[] = [];
    claimCheckWorker<Data, string>(queue.queue.name, async (job) => {
      seen.push(createHash('sha256').update(JSON.stringify(job.data)).digest('hex'));
      expect(await blobCount(store)).toBe(1);
      if (job.attemptsMade < 2) throw new Error(`attempt ${job.attemptsMade} fails`);
      return 'third time';
    }, { connection: connection(), manager });
    const data = dataOfSize(30_000, 7);
    const job = await queue.add('retry', data, { attempts: 3, backoff: { type: 'exponential', delay: 50 }, removeOnComplete: true });
    await expect(queue.waitUntilFinished(job, events)).resolves.toBe('third time');
    expect(seen).toHaveLength(3);
    expect(new Set(seen)).toEqual(new Set([createHash('sha256').update(JSON.stringify(data)).digest('hex')]));
    await eventually(async () => (await blobCount(store)) === 0);
  });
});

describe('ClaimCheckWorker with a sandboxed processor file', () => {
  it('resolves the data in the child process and offloads its return value and updated data', async () => {
    const { store, basePath } = await filesystemStore();
    const { manager, queue, events } = await setup(store);
    claimCheckWorker<Data, unknown>(queue.queue.name, fileURLToPath(new URL('fixtures/sandboxed-processor.mjs', import.meta.url)), {
      connection: connection(),
      manager,
      sandboxManager: { storageType: 'filesystem', storeOptions: { basePath }, thresholdBytes: 1024 },
      resultRetentionMs: 50,
    });
    const data = { ...dataOfSize(40_000, 3), update: true };
    const job = await queue.add('sandboxed', data);
    const result = (await queue.waitUntilFinished(job, events)) as { pid: number; sha256: string; echo: string };
    expect(result.pid).not.toBe(process.pid);
    expect(result.echo).toBe(data.text);
    const updated = { ...data, update: false, updated: 'x'.repeat(3000) };
    expect(result.sha256).toBe(createHash('sha256').update(JSON.stringify(updated)).digest('hex'));
    expect((await queue.getJob(String(job.id)))?.data).toEqual(updated);
    // The original data, the updated data and the return value: three blobs, all registered to the job.
    await eventually(async () => (await blobCount(store)) === 3);
    // Removing the job deletes its data blobs at once; its result follows once its retention has passed.
    await queue.remove(String(job.id));
    expect(await blobCount(store)).toBeLessThanOrEqual(1);
    await eventually(async () => {
      await queue.releaseBlobs();
      return (await blobCount(store)) === 0;
    });
  });
});
