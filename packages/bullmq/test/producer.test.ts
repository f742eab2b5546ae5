import { randomUUID } from 'node:crypto';
import { isClaimCheckError, MemoryStore, type ObjectStore } from '@claimcheck/core';
import { ClaimCheckQueue } from '@claimcheck/bullmq';
import type { JobsOptions } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { blobCount, dataOfSize, managerFor, plainQueue, redisClient } from './support/fixtures.js';

async function pair(store: ObjectStore = new MemoryStore()) {
  const plain = plainQueue();
  const wrapped = new ClaimCheckQueue<unknown>(plainQueue(), { manager: await managerFor(store) });
  return { plain, wrapped, redis: redisClient() };
}

describe('ClaimCheckQueue.add', () => {
  it('stores small data byte for byte as plain BullMQ does', async () => {
    const { plain, wrapped, redis } = await pair();
    const data = { order: 17, items: ['ü', 'b'], nested: { ok: true, none: null } };
    const [ours, theirs] = await Promise.all([wrapped.add('small', data), plain.add('small', data)]);
    const ourData = await redis.hget(wrapped.queue.toKey(String(ours.id)), 'data');
    const theirData = await redis.hget(plain.toKey(String(theirs.id)), 'data');
    expect(ourData).toBe(theirData);
    expect(ourData).toBe(JSON.stringify(data));
    expect(ours.data).toBe(data);
  });

  it('refuses data with no JSON form with INVALID_PAYLOAD, as a rejection, creating no job', async () => {
    const { wrapped } = await pair();
    for (const data of [{ amount: 10n }, { toJSON: () => { throw new Error('cannot serialize'); } }]) {
      const pending = wrapped.add('bad', data);
      expect(pending).toBeInstanceOf(Promise);
      const error: unknown = await pending.catch((caught: unknown) => caught);
      expect(isClaimCheckError(error) && error.code).toBe('INVALID_PAYLOAD');
      expect(String(error)).toContain('the data of a bad job could not be stored');
    }
    expect(await wrapped.queue.count()).toBe(0);
  });

  it('refuses a repeating job whose data would be offloaded, storing nothing and creating no job', async () => {
    const store = new MemoryStore();
    const { wrapped } = await pair(store);
    const error: unknown = await wrapped.add('repeating', dataOfSize(200_000), { repeat: { every: 60_000 } } as JobsOptions).catch((caught: unknown) => caught);
    expect(isClaimCheckError(error) && error.code).toBe('INVALID_PAYLOAD');
    expect(await blobCount(store)).toBe(0);
    expect(await wrapped.queue.count()).toBe(0);
  });

  it('replaces large data with a small reference and returns the job with the original data', async () => {
    const store = new MemoryStore();
    const { wrapped, redis } = await pair(store);
    const data = dataOfSize(200_000);
    const job = await wrapped.add('large', data);
    expect(job.data).toBe(data);
    const stored = (await redis.hget(wrapped.queue.toKey(String(job.id)), 'data')) ?? '';
    expect(stored.length).toBeLessThan(512);
    expect(JSON.parse(stored)).toMatchObject({ claimcheck: 'reference' });
    expect(await blobCount(store)).toBe(1);
    expect((await wrapped.getJob(String(job.id)))?.data).toEqual(data);
  });

  it('passes jobId, delay, priority and attempts through unchanged', async () => {
    const { wrapped } = await pair();
    const jobId = `custom-${randomUUID()}`;
    const job = await wrapped.add('opts', dataOfSize(5000), { jobId, delay: 60_000, priority: 3, attempts: 4, backoff: { type: 'fixed', delay: 10 } });
    expect(job.id).toBe(jobId);
    const stored = await wrapped.queue.getJob(jobId);
    expect(stored?.opts).toMatchObject({ delay: 60_000, priority: 3, attempts: 4 });
    expect(await wrapped.queue.getJobState(jobId)).toBe('delayed');
  });

  it('offloads small data that looks like a reference, so a worker can never mistake it', async () => {
    const store = new MemoryStore();
    const { wrapped } = await pair(store);
    const lookalike = { claimcheck: 'reference', key: 'not-really' };
    const job = await wrapped.add('lookalike', lookalike);
    expect(await blobCount(store)).toBe(1);
    expect((await wrapped.getJob(String(job.id)))?.data).toEqual(lookalike);
  });

  it('rejects and creates no job when the store is down', async () => {
    const store = new MemoryStore();
    await store.close(); // a closed store refuses every put: the store is down
    const { wrapped } = await pair(store);
    const error: unknown = await wrapped.add('large', dataOfSize(5000)).catch((caught: unknown) => caught);
    expect(isClaimCheckError(error) && error.code).toBe('CLOSED');
    expect((error as Error).message).toContain('[CLOSED]');
    expect(await wrapped.queue.count()).toBe(0);
    expect(await wrapped.queue.getJobCounts()).toMatchObject({ waiting: 0, delayed: 0, prioritized: 0 });
  });

  it('adds a thousand jobs concurrently, each with its own blob', async () => {
    const store = new MemoryStore();
    const { wrapped } = await pair(store);
    const jobs = await Promise.all(Array.from({ length: 1000 }, (_, index) => wrapped.add('many', dataOfSize(2000, index))));
    expect(new Set(jobs.map((job) => job.id)).size).toBe(1000);
    expect(await wrapped.queue.count()).toBe(1000);
    expect(await blobCount(store)).toBe(1000);
    const sample = await wrapped.getJob(String(jobs[777]?.id));
    expect(sample?.data).toEqual(dataOfSize(2000, 777));
  });
});

describe('ClaimCheckQueue.addBulk', () => {
  it('offloads only the large jobs of a bulk and resolves each back', async () => {
    const store = new MemoryStore();
    const { wrapped } = await pair(store);
    const jobs = await wrapped.addBulk([
      { name: 'a', data: { small: 1 } },
      { name: 'b', data: dataOfSize(4000, 2) },
      { name: 'c', data: dataOfSize(8000, 3), opts: { priority: 2 } },
    ]);
    expect(await blobCount(store)).toBe(2);
    expect(jobs.map((job) => job.data)).toEqual([{ small: 1 }, dataOfSize(4000, 2), dataOfSize(8000, 3)]);
    expect((await wrapped.getJob(String(jobs[2]?.id)))?.data).toEqual(dataOfSize(8000, 3));
  });

  it('creates none of the jobs, and keeps no blob, when one cannot be stored', async () => {
    const store = new MemoryStore();
    const manager = await managerFor(store);
    const wrapped = new ClaimCheckQueue(plainQueue(), { manager });
    const unstorable = { toJSON: () => { throw new Error('cannot serialize'); } };
    await expect(wrapped.addBulk([{ name: 'a', data: dataOfSize(5000) }, { name: 'b', data: unstorable }])).rejects.toThrow('cannot serialize');
    expect(await wrapped.queue.count()).toBe(0);
    expect(await blobCount(store)).toBe(0);
  });
});
