// pnpm bench: ClaimCheckQueue + ClaimCheckWorker against plain BullMQ on a local redis-server, measured
// side by side in the same run (see scripts/bench.mjs for the convention; issue 23 sets the goals):
//  1. 1 KiB jobs that stay inline: `add` alone (no worker), and add → completed with a worker, ours ÷
//     plain in jobs per second;
//  2. 1 MiB jobs: Redis bytes per job (no worker running), and end-to-end latency (add → the producer
//     hears `completed`) one job at a time, each round one job per side.
// BENCH_ROUNDS shortens or lengthens a run; `pnpm bench --json` also writes bench-results/bench.json.
// A 1 KiB row that misses its goal is explained after the table by the top frames of a CPU profile of
// ClaimCheckQueue (and its worker) doing that row's work; redis-server runs in a process of its own.
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { MemoryStore } from '@claimcheck/core';
import { createManager } from '@claimcheck/manager';
import { ClaimCheckQueue, ClaimCheckWorker } from '@claimcheck/bullmq';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { alternateRounds, benchRounds, explainMisses, report, throughputRow, valueRow } from '../../../scripts/bench.mjs';
import { startRedis } from '../test/setup/redis-server.ts';

const smallJobs = 3000;
const inFlight = 64;
const smallRounds = benchRounds(9);
const largeJobs = 20;
const latencyRounds = benchRounds(21);

const redisServer = await startRedis();
const connection = { host: redisServer.host, port: redisServer.port, maxRetriesPerRequest: null };
const redis = new Redis(connection);
const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 50 * 1024 });

const sides = {
  ours: {
    queue: (name) => new ClaimCheckQueue(new Queue(name, { connection }), { manager }),
    worker: (name, processor, options) => new ClaimCheckWorker(name, processor, { connection, ...options, manager }),
  },
  plain: {
    queue: (name) => new Queue(name, { connection }),
    worker: (name, processor, options) => new Worker(name, processor, { connection, ...options }),
  },
};

const openLines = new Set();

/**
 * A fresh queue of one side with its worker, kept open across the rounds; QueueEvents only when a
 * round waits on a job (they read every event of the queue, which would weigh on the throughput).
 */
async function openLine(side, processor, workerOptions, { withEvents = false } = {}) {
  const name = `bench-${randomUUID()}`;
  const queue = side.queue(name);
  const worker = side.worker(name, processor, workerOptions);
  const events = withEvents ? new QueueEvents(name, { connection }) : undefined;
  const line = {
    queue,
    worker,
    events,
    async close() {
      openLines.delete(line);
      await worker.close();
      await events?.close();
      await queue.obliterate({ force: true });
      await queue.close();
    },
  };
  openLines.add(line);
  await Promise.all([worker.waitUntilReady(), events?.waitUntilReady()]);
  return line;
}

// A job whose JSON is 1 KiB: the size issue 23 measures the inline path at.
function smallData(n) {
  const data = { n, user: 'someone@example.com', action: 'signup', at: 1_700_000_000_000 + n, note: '' };
  data.note = 'x'.repeat(1024 - Buffer.byteLength(JSON.stringify(data)));
  return data;
}

// Adds `smallJobs` 1 KiB jobs to `queue`, 64 in flight.
async function addSmallJobs(queue, opts) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < smallJobs) {
        const n = next++;
        await queue.add('small', smallData(n), opts);
      }
    }),
  );
}

// One round of `add` alone: no worker runs; the queue is emptied (untimed) before every round.
async function addOnlyRows() {
  const name = { ours: `bench-${randomUUID()}`, plain: `bench-${randomUUID()}` };
  const queues = { ours: sides.ours.queue(name.ours), plain: sides.plain.queue(name.plain) };
  const plainOf = { ours: queues.ours.queue, plain: queues.plain };
  try {
    return throughputRow({
      name: names.addAlone,
      baseline: 'plain BullMQ Queue.add',
      ...(await alternateRounds({
        rounds: smallRounds,
        ours: () => addSmallJobs(queues.ours),
        baseline: () => addSmallJobs(queues.plain),
        beforeEach: () => Promise.all([plainOf.ours.drain(), plainOf.plain.drain()]),
      })),
      unitsPerRound: smallJobs,
      unit: 'job',
      goal: { atLeast: 0.95 },
    });
  } finally {
    for (const queue of [queues.ours, queues.plain]) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }
}

// One round of 1 KiB jobs: all added (64 in flight) while the worker (concurrency 64) processes them.
function smallJobsRound(line) {
  let completed = 0;
  let finish = () => {};
  line.worker.on('completed', () => {
    if (++completed === smallJobs) finish();
  });
  return async () => {
    completed = 0;
    const finished = new Promise((resolve) => (finish = resolve));
    await addSmallJobs(line.queue, { removeOnComplete: true });
    await finished;
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

const largeData = { text: 'x'.repeat(1024 * 1024) };

// Redis bytes per 1 MiB job, with the jobs waiting (no worker), then the queue is emptied again.
async function bytesPerLargeJob(side) {
  const name = `bench-${randomUUID()}`;
  const queue = side.queue(name);
  for (let index = 0; index < largeJobs; index++) await queue.add('large', largeData);
  const bytes = (await queueMemory(name)) / largeJobs;
  await queue.obliterate({ force: true });
  await queue.close();
  return Math.round(bytes);
}

const names = {
  addAlone: `1 KiB jobs: add alone (${smallJobs}/round)`,
  addCompleted: `1 KiB jobs: add → completed (${smallJobs}/round)`,
};
// What a miss profiles: ClaimCheckQueue (with its worker for add → completed) doing three rounds of
// the row's work, on a queue of its own.
const profiledRounds = 3;
const profiled = new Map([
  [
    names.addAlone,
    {
      before: () => sides.ours.queue(`bench-${randomUUID()}`),
      work: async (queue) => {
        for (let round = 0; round < profiledRounds; round++) await addSmallJobs(queue);
      },
      after: async (queue) => {
        await queue.obliterate({ force: true });
        await queue.close();
      },
    },
  ],
  [
    names.addCompleted,
    {
      before: () => openLine(sides.ours, async (job) => job.data.n, { concurrency: inFlight, removeOnComplete: { count: 0 } }),
      work: async (line) => {
        const round = smallJobsRound(line);
        for (let index = 0; index < profiledRounds; index++) await round();
      },
      after: (line) => line.close(),
    },
  ],
]);

// ClaimCheckQueue.add serializes the data once to measure it, and BullMQ serializes it again: timed
// apart, that one JSON.stringify is the least the plugin can add to an inline add.
function stringifyShare(row) {
  const samples = Array.from({ length: 1000 }, (_, n) => smallData(n));
  const iterations = 200_000;
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) JSON.stringify(samples[index % samples.length]);
  const stringifyUs = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  const plainAddUs = (row.baselineMedianMs * 1000) / smallJobs;
  return (
    `ClaimCheckQueue.add serializes each job's data once to measure it (jsonOf: JSON.stringify, ${stringifyUs.toFixed(2)} µs ` +
    `for this 1 KiB object timed apart, ${((100 * stringifyUs) / plainAddUs).toFixed(1)} % of a plain add's ${plainAddUs.toFixed(1)} µs), ` +
    "and BullMQ serializes it again (asJSON): BullMQ's add takes no serialized text, so that one stringify is the plugin's floor"
  );
}

const rows = [];
const loadBefore = loadavg();
try {
  rows.push(await addOnlyRows());
  const small = { ours: await openLine(sides.ours, async (job) => job.data.n, { concurrency: inFlight, removeOnComplete: { count: 0 } }) };
  small.plain = await openLine(sides.plain, async (job) => job.data.n, { concurrency: inFlight, removeOnComplete: { count: 0 } });
  rows.push(
    throughputRow({
      name: names.addCompleted,
      baseline: 'plain BullMQ Queue + Worker',
      ...(await alternateRounds({ rounds: smallRounds, ours: smallJobsRound(small.ours), baseline: smallJobsRound(small.plain) })),
      unitsPerRound: smallJobs,
      unit: 'job',
      goal: { atLeast: 0.95 },
    }),
  );
  await Promise.all([small.ours.close(), small.plain.close()]);

  const [oursBytes, plainBytes] = [await bytesPerLargeJob(sides.ours), await bytesPerLargeJob(sides.plain)];
  rows.push(
    valueRow({
      name: '1 MiB jobs: Redis bytes per waiting job',
      baseline: 'plain BullMQ Queue',
      ours: oursBytes,
      theirs: plainBytes,
      unit: 'bytes',
      goal: { atMost: 0.01, text: '≤ 0.01× (fewer bytes)' },
    }),
  );

  const large = { ours: await openLine(sides.ours, async (job) => job.data.text.length, {}, { withEvents: true }) };
  large.plain = await openLine(sides.plain, async (job) => job.data.text.length, {}, { withEvents: true });
  // The jobs are kept until the line closes: BullMQ's waitUntilFinished rejects ("Missing key … isFinished")
  // when a job was completed and removed before it looked, which a fast one-at-a-time job sometimes is.
  const oneLargeJob = (line) => async () => {
    const job = await line.queue.add('large', largeData);
    await job.waitUntilFinished(line.events);
  };
  rows.push(
    throughputRow({
      name: '1 MiB jobs: end-to-end latency (add → completed heard), one at a time',
      baseline: 'plain BullMQ Queue + Worker',
      ...(await alternateRounds({ rounds: latencyRounds, ours: oneLargeJob(large.ours), baseline: oneLargeJob(large.plain) })),
      unit: 'job',
    }),
  );
  await Promise.all([large.ours.close(), large.plain.close()]);

  const load = (averages) => averages.map((average) => average.toFixed(2)).join(' ');
  await report({
    title: `@claimcheck/bullmq benchmarks (local redis-server, manager on a MemoryStore, threshold 50 KiB; ${smallRounds} rounds of 1 KiB jobs, ${latencyRounds} of latency; ${cpus().length} cores, load average ${load(loadBefore)} before, ${load(loadavg())} after)`,
    rows,
  });
  // The unit for the 1 KiB rows: jobs per second, from the same medians as the table.
  for (const row of rows.filter((entry) => entry.kind === 'throughput' && entry.name.startsWith('1 KiB'))) {
    const perSecond = (medianMs) => Math.round((smallJobs * 1000) / medianMs);
    console.log(`${row.name}: ours ${perSecond(row.oursMedianMs)} jobs/s, plain ${perSecond(row.baselineMedianMs)} jobs/s`);
  }
  // A miss of add alone: what the one serialization the plugin adds costs, beside a plain add's time.
  profiled.get(names.addAlone).why = stringifyShare(rows.find((row) => row.name === names.addAlone));
  // While redis-server still runs: the profiles are of ClaimCheckQueue talking to it.
  await explainMisses(rows, profiled);
} finally {
  await Promise.all([...openLines].map((line) => line.close()));
  await manager.close();
  await redis.quit();
  await redisServer.stop();
}
