import { MemoryStore } from '@claimcheck/core';
import { ClaimCheckQueue } from '@claimcheck/bullmq';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { managerFor, plainQueue, redisClient } from './support/fixtures.js';

// The bytes Redis uses for every key of `queue`, from MEMORY USAGE with all samples.
async function queueMemory(redis: Redis, queue: Queue): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${queue.qualifiedName}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) total += (await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number;
  } while (cursor !== '0');
  return total;
}

describe('Redis memory', () => {
  it('200 jobs of 1 MB use under 1% of the Redis memory plain BullMQ uses', async () => {
    const redis = redisClient();
    const plain = plainQueue();
    const wrapped = new ClaimCheckQueue(plainQueue(), { manager: await managerFor(new MemoryStore(), 50 * 1024) });
    const data = { text: 'z'.repeat(1024 * 1024) };
    for (let index = 0; index < 200; index++) {
      await plain.add('mb', data);
      await wrapped.add('mb', data);
    }
    const [plainBytes, wrappedBytes] = [await queueMemory(redis, plain), await queueMemory(redis, wrapped.queue)];
    expect(plainBytes).toBeGreaterThan(200 * 1024 * 1024);
    expect(wrappedBytes / plainBytes).toBeLessThan(0.01);
    // INFO memory agrees: removing the plain jobs frees about their data, removing ours next to nothing.
    const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    const before = await used();
    await plain.obliterate({ force: true });
    const afterPlain = await used();
    await wrapped.obliterate({ force: true });
    const afterWrapped = await used();
    expect(before - afterPlain).toBeGreaterThan(200 * 1024 * 1024);
    expect(afterPlain - afterWrapped).toBeLessThan((before - afterPlain) / 100);
  });
});
