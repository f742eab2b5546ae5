import { isClaimCheckError, MemoryStore } from '@claimcheck/core';
import { ClaimCheckQueue } from '@claimcheck/bullmq';
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { claimCheckWorker, connection, dataOfSize, managerFor, onCleanup, plainQueue, queueEvents, redisClient } from './support/fixtures.js';

type Result = { seed: number; text: string } | string;

async function setup() {
  const store = new MemoryStore();
  const manager = await managerFor(store);
  const queue = new ClaimCheckQueue<{ size: number }, Result>(plainQueue(), { manager });
  return { store, manager, queue, events: await queueEvents(queue.queue.name) };
}

/** The next `'error'` the QueueEvents emits. */
function nextError(events: Awaited<ReturnType<typeof queueEvents>>): Promise<Error> {
  return new Promise((resolve) => events.once('error', resolve));
}

describe('ClaimCheckQueue.onCompleted', () => {
  it('gives the listener the original of a large return value, and a small one exactly as Redis holds it', async () => {
    const { manager, queue, events } = await setup();
    const heard = new Map<string, unknown>();
    const stop = queue.onCompleted(events, ({ jobId, returnvalue }) => heard.set(jobId, returnvalue));
    onCleanup(async () => {
      stop();
    });
    claimCheckWorker<{ size: number }, Result>(queue.queue.name, async (job) => (job.data.size > 100 ? dataOfSize(job.data.size, 7) : 'small'), { connection: connection(), manager });
    const large = await queue.add('large', { size: 20_000 });
    const small = await queue.add('small', { size: 10 });
    await Promise.all([queue.waitUntilFinished(large, events), queue.waitUntilFinished(small, events)]);
    await expect.poll(() => heard.size).toBe(2);
    expect(heard.get(String(large.id))).toEqual(dataOfSize(20_000, 7));
    expect(heard.get(String(small.id))).toBe('small');
    // What Redis holds: a reference for the large result, the small one inline as plain BullMQ stores it.
    const redis = redisClient();
    expect(await redis.hget(queue.queue.toKey(String(large.id)), 'returnvalue')).toMatch(/^\{"claimcheck":"reference"/);
    expect(await redis.hget(queue.queue.toKey(String(small.id)), 'returnvalue')).toBe('"small"');
  });

  it('stops calling the listener once the returned function is called', async () => {
    const { manager, queue, events } = await setup();
    const heard: string[] = [];
    const stop = queue.onCompleted(events, ({ jobId }) => heard.push(jobId));
    claimCheckWorker<{ size: number }, Result>(queue.queue.name, async () => 'done', { connection: connection(), manager });
    const first = await queue.add('first', { size: 1 });
    await queue.waitUntilFinished(first, events);
    await expect.poll(() => heard).toEqual([String(first.id)]);
    stop();
    // A listener added later hears the second job after the stopped one would have, had it still listened.
    const heardByLater = new Promise<string>((resolve) => {
      queue.onCompleted(events, ({ jobId }) => {
        resolve(jobId);
      });
    });
    const second = await queue.add('second', { size: 1 });
    expect(await heardByLater).toBe(String(second.id));
    expect(heard).toEqual([String(first.id)]);
  });

  it('emits a result that cannot be resolved as the QueueEvents error, a ClaimCheckError naming the reference', async () => {
    const { store, manager, queue, events } = await setup();
    // A job whose result refers to a blob that is gone: a plain worker returns the reference as it is.
    const reference = JSON.parse(Buffer.from(await manager.offload(Buffer.from(JSON.stringify(dataOfSize(5000))))).toString('utf8')) as { key: string };
    await store.delete(reference.key);
    const worker = new Worker(queue.queue.name, async () => reference, { connection: connection() });
    onCleanup(() => worker.close());
    const heard: unknown[] = [];
    queue.onCompleted(events, ({ returnvalue }) => heard.push(returnvalue));
    const failure = nextError(events);
    await queue.queue.add('dangling', { size: 1 });
    const error = await failure;
    expect(isClaimCheckError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(error.message).toContain(reference.key);
    expect(heard).toEqual([]);
  });

  it('emits an error the listener throws as the QueueEvents error', async () => {
    const { manager, queue, events } = await setup();
    const thrown = new Error('listener failed');
    queue.onCompleted(events, () => {
      throw thrown;
    });
    claimCheckWorker<{ size: number }, Result>(queue.queue.name, async () => 'done', { connection: connection(), manager });
    const failure = nextError(events);
    await queue.add('job', { size: 1 });
    expect(await failure).toBe(thrown);
  });
});
