import { MemoryStore } from '@claimcheck/core';
import { ClaimCheckQueue } from '@claimcheck/bullmq';
import { describe, expect, it } from 'vitest';
import { blobCount, claimCheckWorker, connection, dataOfSize, eventually, managerFor, plainQueue } from './support/fixtures.js';

async function setup() {
  const store = new MemoryStore();
  const manager = await managerFor(store);
  return { store, manager, queue: new ClaimCheckQueue<{ seed: number; text: string }, unknown>(plainQueue(), { manager }) };
}

describe('blob lifecycle', () => {
  it('removeOnComplete deletes the data and return value blobs with the job', async () => {
    const { store, manager, queue } = await setup();
    const worker = claimCheckWorker(queue.queue.name, async () => 'r'.repeat(5000), { connection: connection() }, { manager });
    await queue.addBulk(Array.from({ length: 10 }, (_, seed) => ({ name: 'job', data: dataOfSize(5000, seed), opts: { removeOnComplete: true } })));
    await eventually(async () => (await queue.queue.getJobCounts('completed', 'waiting', 'active')).waiting === 0 && (await blobCount(store)) === 0);
    await worker.close();
    expect(await queue.queue.count()).toBe(0);
  });

  it('keeps the blobs of retained jobs and deletes those of removed ones: blobs left equal jobs retained', async () => {
    const { store, manager, queue } = await setup();
    // Every third job fails on every attempt; the others fail once, then complete with a large result.
    const worker = claimCheckWorker<{ seed: number; text: string }, unknown>(queue.queue.name, async (job) => {
      if (job.data.seed % 3 === 0 || job.attemptsMade === 0) throw new Error('planned failure');
      return { result: 'x'.repeat(3000) };
    }, { connection: connection(), concurrency: 8 }, { manager });
    const total = 60;
    await queue.addBulk(Array.from({ length: total }, (_, seed) => ({
      name: 'job',
      data: dataOfSize(3000, seed),
      opts: { attempts: 2, backoff: { type: 'fixed', delay: 5 }, removeOnComplete: { count: 5 }, removeOnFail: { count: 7 } },
    })));
    await eventually(async () => {
      const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed');
      return Object.values(counts).every((count) => count === 0);
    });
    await worker.close(); // waits for the blob deletes under way
    const completed = await queue.queue.getCompletedCount();
    const failed = await queue.queue.getFailedCount();
    expect(completed).toBe(5);
    expect(failed).toBe(7);
    // Each retained completed job holds a data blob and a result blob; each retained failed job its data blob.
    expect(await blobCount(store)).toBe(completed * 2 + failed);
  });

  it('job.remove, queue.clean and obliterate leave no blob behind', async () => {
    const { store, queue } = await setup();
    const jobs = await Promise.all(Array.from({ length: 6 }, (_, seed) => queue.add('job', dataOfSize(4000, seed), { delay: 60_000 })));
    expect(await blobCount(store)).toBe(6);
    await jobs[0]?.remove(); // behind the wrapper's back: the next release finds it
    expect(await queue.releaseBlobs()).toBe(1);
    expect(await queue.remove(String(jobs[1]?.id))).toBe(1);
    expect(await blobCount(store)).toBe(4);
    expect(await queue.clean(0, 2, 'delayed')).toHaveLength(2);
    expect(await blobCount(store)).toBe(2);
    await queue.obliterate({ force: true });
    expect(await blobCount(store)).toBe(0);
  });
});
