// pnpm bench: ClaimCheckQueue + createWorker against plain BullMQ, on a local redis-server.
//  1. small jobs that stay inline: jobs per second end to end (add → completed), ours ÷ plain;
//  2. 1 MB jobs: Redis bytes per job and end-to-end latency, ours and plain.
import { randomUUID } from 'node:crypto';
import { MemoryStore } from '@claimcheck/core';
import { createManager } from '@claimcheck/manager';
import { ClaimCheckQueue, createWorker } from '@claimcheck/bullmq';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { startRedis } from '../test/setup/redis-server.ts';
import { alternate, median, ratio } from './rounds.mjs';

const smallJobs = 3000;
const rounds = 9;
const largeJobs = 20;

const redisServer = await startRedis();
const connection = { host: redisServer.host, port: redisServer.port, maxRetriesPerRequest: null };
const redis = new Redis(connection);
const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 50 * 1024 });

function sides() {
  return {
    ours: {
      queue: (name) => new ClaimCheckQueue(new Queue(name, { connection }), { manager }),
      worker: (name, processor, options) => createWorker(name, processor, { connection, ...options }, { manager }),
    },
    plain: {
      queue: (name) => new Queue(name, { connection }),
      worker: (name, processor, options) => new Worker(name, processor, { connection, ...options }),
    },
  };
}

async function queueMemory(name) {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `bull:${name}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) total += await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
  } while (cursor !== '0');
  return total;
}

async function drop(queue) {
  const plain = queue.queue ?? queue;
  await plain.obliterate({ force: true });
  await queue.close();
}

// Small inline jobs: add them all (64 in flight) while a worker with concurrency 64 processes them.
async function smallRound(side) {
  const name = `bench-${randomUUID()}`;
  const queue = side.queue(name);
  let done = 0;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const worker = side.worker(name, async (job) => job.data.n, { concurrency: 64, removeOnComplete: { count: 0 } });
  worker.on('completed', () => {
    if (++done === smallJobs) finish();
  });
  await worker.waitUntilReady();
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < smallJobs) {
      const n = next++;
      await queue.add('small', { n, user: 'someone@example.com', action: 'signup', at: 1_700_000_000_000 + n }, { removeOnComplete: true });
    }
  }));
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await drop(queue);
  return smallJobs / seconds;
}

// 1 MB jobs: Redis bytes per job with no worker running, then add → completed latency one job at a time.
async function largeRun(side) {
  const name = `bench-${randomUUID()}`;
  const queue = side.queue(name);
  const data = { text: 'x'.repeat(1024 * 1024) };
  for (let index = 0; index < largeJobs; index++) await queue.add('large', data);
  const bytesPerJob = (await queueMemory(name)) / largeJobs;
  await (queue.queue ?? queue).obliterate({ force: true });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  const worker = side.worker(name, async (job) => job.data.text.length, {});
  const latencies = [];
  for (let index = 0; index < largeJobs; index++) {
    const started = performance.now();
    const job = await queue.add('large', data, { removeOnComplete: true });
    await job.waitUntilFinished(events);
    latencies.push(performance.now() - started);
  }
  await worker.close();
  await events.close();
  await drop(queue);
  return { bytesPerJob, latencyMs: median(latencies) };
}

try {
  const { ours, plain } = sides();
  await smallRound(ours); // warm-up for both sides' code paths
  await smallRound(plain);
  const small = await alternate(rounds, () => smallRound(ours), () => smallRound(plain));
  const throughput = ratio(small.ours, small.baseline);
  console.log(`small inline jobs (${smallJobs} per round, ${rounds} alternating rounds, end to end)`);
  console.log(`  ours ${median(small.ours).toFixed(0)} jobs/s, plain BullMQ ${median(small.baseline).toFixed(0)} jobs/s`);
  console.log(`  ours ÷ baseline throughput: ${throughput.median.toFixed(3)} (spread ${throughput.low.toFixed(3)}–${throughput.high.toFixed(3)}; goal ≥ 0.95)`);

  const [large, plainLarge] = [await largeRun(ours), await largeRun(plain)];
  console.log(`1 MB jobs (${largeJobs} jobs)`);
  console.log(`  Redis bytes per job: ours ${large.bytesPerJob.toFixed(0)}, plain ${plainLarge.bytesPerJob.toFixed(0)} (ours ÷ baseline ${(large.bytesPerJob / plainLarge.bytesPerJob).toFixed(5)})`);
  console.log(`  end-to-end latency, median: ours ${large.latencyMs.toFixed(1)} ms, plain ${plainLarge.latencyMs.toFixed(1)} ms (ours ÷ baseline ${(large.latencyMs / plainLarge.latencyMs).toFixed(2)})`);
} finally {
  await manager.close();
  await redis.quit();
  await redisServer.stop();
}
