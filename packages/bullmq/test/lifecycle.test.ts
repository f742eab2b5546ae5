import { isClaimCheckError, MemoryStore } from '@claimcheck/core';
import { ClaimCheckFlowProducer, ClaimCheckQueue, ClaimCheckWorker, expiringKey, registryKey } from '@claimcheck/bullmq';
import { FlowProducer } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { blobCount, catching, claimCheckWorker, connection, dataOfSize, eventually, managerFor, onCleanup, plainQueue, queueEvents, redisClient } from './support/fixtures.js';

async function setup() {
  const store = new MemoryStore();
  const manager = await managerFor(store);
  return { store, manager, queue: new ClaimCheckQueue<{ seed: number; text: string }, unknown>(plainQueue(), { manager }) };
}

/** Resolves when no job of the queue is waiting, active or delayed. */
async function drained(queue: ClaimCheckQueue<{ seed: number; text: string }>): Promise<void> {
  await eventually(async () => Object.values(await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((count) => count === 0));
}

describe('blob lifecycle', () => {
  it('removeOnComplete deletes the data blob with the job and keeps the result blob for its retention window', async () => {
    const { store, manager, queue } = await setup();
    const events = await queueEvents(queue.queue.name);
    const worker = claimCheckWorker(queue.queue.name, async () => 'r'.repeat(5000), { connection: connection(), manager });
    const jobs = await queue.addBulk(Array.from({ length: 10 }, (_, seed) => ({ name: 'job', data: dataOfSize(5000, seed), opts: { removeOnComplete: true } })));
    await Promise.all(jobs.map((job) => queue.waitUntilFinished(job, events)));
    await worker.close(); // waits for the releases under way
    expect(await queue.queue.count()).toBe(0);
    // The jobs are gone: their 10 data blobs with them; their 10 results stay within the default hour.
    expect(await blobCount(store)).toBe(10);
    expect(await queue.releaseBlobs()).toBe(0);
    // No job holds them: they left the registry for the expiring set, where they wait out their window.
    const redis = redisClient();
    expect(await redis.hlen(registryKey(queue.queue.qualifiedName))).toBe(0);
    expect(await redis.zcard(expiringKey(queue.queue.qualifiedName))).toBe(10);
  });

  it('leaves 0 blobs once N jobs have finished and the retention window has passed, with no call from the caller', async () => {
    const { store, manager, queue } = await setup();
    // Every fourth job fails on every attempt; the others complete with a large result.
    claimCheckWorker<{ seed: number; text: string }, unknown>(queue.queue.name, async (job) => {
      if (job.data.seed % 4 === 0) throw new Error('planned failure');
      return { result: 'x'.repeat(3000), seed: job.data.seed };
    }, { connection: connection(), concurrency: 8, manager, resultRetentionMs: 200 });
    const total = 40;
    await queue.addBulk(Array.from({ length: total }, (_, seed) => ({
      name: 'job',
      data: dataOfSize(3000, seed),
      opts: { attempts: 2, backoff: { type: 'fixed', delay: 5 }, removeOnComplete: true, removeOnFail: true },
    })));
    await drained(queue);
    // The worker's own timer releases the results once their window has passed.
    await eventually(async () => (await blobCount(store)) === 0);
    const redis = redisClient();
    expect(await redis.hlen(registryKey(queue.queue.qualifiedName))).toBe(0);
    expect(await redis.zcard(expiringKey(queue.queue.qualifiedName))).toBe(0);
    expect(await queue.queue.count()).toBe(0);
  });

  it('keeps the blobs of retained jobs past the window, and deletes those of removed ones once it has passed', async () => {
    const { store, manager, queue } = await setup();
    // Every third job fails on every attempt; the others fail once, then complete with a large result.
    claimCheckWorker<{ seed: number; text: string }, unknown>(queue.queue.name, async (job) => {
      if (job.data.seed % 3 === 0 || job.attemptsMade === 0) throw new Error('planned failure');
      return { result: 'x'.repeat(3000) };
    }, { connection: connection(), concurrency: 8, manager, resultRetentionMs: 100 });
    const total = 60;
    await queue.addBulk(Array.from({ length: total }, (_, seed) => ({
      name: 'job',
      data: dataOfSize(3000, seed),
      opts: { attempts: 2, backoff: { type: 'fixed', delay: 5 }, removeOnComplete: { count: 5 }, removeOnFail: { count: 7 } },
    })));
    await drained(queue);
    const completed = await queue.queue.getCompletedCount();
    const failed = await queue.queue.getFailedCount();
    expect(completed).toBe(5);
    expect(failed).toBe(7);
    // Each retained completed job holds a data blob and a result blob; each retained failed job its data blob.
    await eventually(async () => (await blobCount(store)) === completed * 2 + failed);
    for (const job of await queue.queue.getCompleted()) {
      expect((await queue.getJob(String(job.id)))?.returnvalue).toEqual({ result: 'x'.repeat(3000) });
    }
  });

  it('keeps a flow child’s result while its parent exists, though the child is removed and the window has passed', async () => {
    const store = new MemoryStore();
    const manager = await managerFor(store);
    const parents = new ClaimCheckQueue(plainQueue(), { manager });
    const children = new ClaimCheckQueue(plainQueue(), { manager });
    const producer = new FlowProducer({ connection: connection() });
    onCleanup(() => producer.close());
    const childEvents = await queueEvents(children.queue.name);
    const childWorker = claimCheckWorker(children.queue.name, async () => 'c'.repeat(8000), { connection: connection(), manager, resultRetentionMs: 1 });
    const tree = await new ClaimCheckFlowProducer(producer, { manager }).add({
      name: 'parent',
      queueName: parents.queue.name,
      data: { small: true },
      children: [{ name: 'child', queueName: children.queue.name, data: { small: true }, opts: { removeOnComplete: true } }],
    });
    await children.waitUntilFinished(tree.children?.[0]?.job as never, childEvents);
    await childWorker.close();
    expect(await children.queue.count()).toBe(0);
    // The child is gone and its window over; its result blob is still the parent's to read.
    await eventually(async () => (await children.releaseBlobs()) === 0 && (await blobCount(store)) === 1);
    const events = await queueEvents(parents.queue.name);
    claimCheckWorker(parents.queue.name, async (job) => {
      const values = Object.values((await job.getChildrenValues()) as Record<string, unknown>);
      return Promise.all(values.map((value) => parents.resolveValue(value)));
    }, { connection: connection(), manager, resultRetentionMs: 1 });
    await expect(parents.waitUntilFinished(tree.job, events)).resolves.toEqual(['c'.repeat(8000)]);
    await parents.remove(String(tree.job.id));
    await eventually(async () => (await children.releaseBlobs()) === 1);
    expect(await blobCount(store)).toBe(0);
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

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '60000'])('refuses resultRetentionMs %s with INVALID_CONFIG', async (resultRetentionMs) => {
    const manager = await managerFor();
    const options = { manager, resultRetentionMs: resultRetentionMs as number };
    const errors = [
      catching(() => new ClaimCheckQueue(plainQueue(), options)),
      catching(() => new ClaimCheckWorker('never-started', async () => 'x', { connection: connection(), autorun: false, ...options })),
      await new ClaimCheckQueue(plainQueue(), { manager }).sweepOrphans({ olderThanMs: resultRetentionMs as number }).catch((error: unknown) => error),
    ];
    for (const error of errors) {
      expect(isClaimCheckError(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toMatch(/resultRetentionMs|olderThanMs/);
    }
  });
});
