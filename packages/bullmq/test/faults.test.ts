import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { ClaimCheckError, ClaimCheckWarning, isClaimCheckError, MemoryStore } from '@claimcheck/core';
import { ClaimCheckQueue, ClaimCheckWorker } from '@claimcheck/bullmq';
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from './setup/redis-server.js';
import { blobCount, claimCheckWorker, connection, dataOfSize, eventually, filesystemStore, managerFor, onCleanup, plainQueue, queueEvents } from './support/fixtures.js';

type Data = { seed: number; text: string };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Takes the store down for real: its directory is moved away (and a file may take its place). Returns how to bring it back. */
async function storeDown(basePath: string, { fileInItsPlace = false } = {}): Promise<() => Promise<void>> {
  const away = `${basePath}-away`;
  await rename(basePath, away);
  if (fileInItsPlace) await writeFile(basePath, 'not a directory');
  let restored = false;
  const restore = async () => {
    if (restored) return;
    restored = true;
    if (fileInItsPlace) await rename(basePath, `${basePath}-file`);
    await rename(away, basePath);
  };
  onCleanup(restore);
  return restore;
}

describe('the store goes down while a worker resolves job data', () => {
  it('fails each attempt with UNAVAILABLE, BullMQ retries by its own policy, and the job succeeds once the store is back', async () => {
    const { store, basePath } = await filesystemStore();
    const manager = await managerFor(store);
    const queue = new ClaimCheckQueue<Data, string>(plainQueue(), { manager });
    const events = await queueEvents(queue.queue.name);
    const data = dataOfSize(20_000, 5);
    const job = await queue.add('resilient', data, { attempts: 10, backoff: { type: 'fixed', delay: 100 } });
    const restore = await storeDown(basePath);
    const failures: string[] = [];
    const worker = claimCheckWorker<Data, string>(queue.queue.name, async (running) => sha256(JSON.stringify(running.data)), { connection: connection(), manager });
    // Two failed attempts, then the store comes back before BullMQ's backoff runs out.
    const backAfterTwo = new Promise<void>((resolve) => {
      worker.on('failed', (_, error) => {
        failures.push(error.message);
        if (failures.length === 2) void restore().then(resolve);
      });
    });
    await expect(queue.waitUntilFinished(job, events)).resolves.toBe(sha256(JSON.stringify(data)));
    await backAfterTwo;
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const failure of failures) expect(failure).toMatch(/^bullmq resolve failed: \[UNAVAILABLE\] the data of job .* could not be resolved: .*basePath does not exist/);
    const finished = await queue.queue.getJob(String(job.id));
    expect(finished?.attemptsMade).toBe(failures.length + 1);
  });
});

describe('Redis restarted without its data between add and process', () => {
  it('loses the job as plain BullMQ does, and sweepOrphans deletes its blob, keeping every blob still recorded', async () => {
    const redis = await startRedis();
    onCleanup(() => redis.stop());
    const restartable: ConnectionOptions = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
    const { store } = await filesystemStore();
    const manager = await managerFor(store);
    const queueOn = (name: string) => {
      const queue = new Queue(name, { connection: restartable });
      queue.on('error', () => undefined); // a refused connection while Redis is down is expected here
      onCleanup(() => queue.close());
      return queue;
    };
    const queue = new ClaimCheckQueue<Data, string>(queueOn('restarted'), { manager });
    const plain = queueOn('restarted-plain');
    const lost = await queue.add('lost', dataOfSize(5000, 1));
    const plainLost = await plain.add('lost', dataOfSize(5000, 1));
    expect(await blobCount(store)).toBe(1);

    const restarted = await restart(redis);
    onCleanup(() => restarted.stop());
    expect(await queue.queue.getJob(String(lost.id))).toBeUndefined();
    expect(await plain.getJob(String(plainLost.id))).toBeUndefined();

    // After the restart: a job of this queue and one of another queue sharing the store, both recorded.
    const other = new ClaimCheckQueue<Data, string>(queueOn('restarted-other'), { manager });
    const otherJob = await other.add('waiting', dataOfSize(6000, 3), { delay: 60_000 });
    const events = new QueueEvents('restarted', { connection: restartable });
    onCleanup(() => events.close());
    await events.waitUntilReady();
    const processed: string[] = [];
    const worker = new ClaimCheckWorker<Data, string>('restarted', async (job) => {
      processed.push(String(job.id));
      return 'done';
    }, { connection: restartable, manager });
    onCleanup(() => worker.close());
    const kept = await queue.add('kept', dataOfSize(6000, 2));
    await expect(queue.waitUntilFinished(kept, events)).resolves.toBe('done');
    expect(processed).toEqual([String(kept.id)]);
    expect(await blobCount(store)).toBe(3);

    // The lost job's blob is recorded nowhere; once older than the window it goes, the recorded ones stay.
    let report = { released: 0, orphans: 0 };
    await eventually(async () => {
      report = await queue.sweepOrphans({ olderThanMs: 50 });
      return report.orphans > 0;
    });
    expect(report.orphans).toBe(1);
    expect(await blobCount(store)).toBe(2);
    expect((await queue.getJob(String(kept.id)))?.data).toEqual(dataOfSize(6000, 2));
    expect((await other.getJob(String(otherJob.id)))?.data).toEqual(dataOfSize(6000, 3));
  });
});

/** `SHUTDOWN NOSAVE`, then a fresh redis-server on the same port: everything Redis held is gone. */
async function restart(redis: RunningRedis): Promise<RunningRedis> {
  const admin = new Redis({ host: redis.host, port: redis.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  await admin.connect();
  await admin.call('SHUTDOWN', 'NOSAVE').catch(() => undefined); // the connection closes under the reply
  admin.disconnect();
  await redis.exited;
  return startRedis(redis.port);
}

describe('warnings', () => {
  it.each([
    { name: 'go to onWarning, and nothing to process.emitWarning, when it is given', given: true },
    { name: 'go to process.emitWarning when no onWarning is given', given: false },
  ])('a blob the worker could not delete is a CLEANUP_FAILED warning naming the queue, and stays recorded: warnings $name', async ({ given }) => {
    const { store, basePath } = await filesystemStore();
    const manager = await managerFor(store);
    const queue = new ClaimCheckQueue<Data, string>(plainQueue(), { manager });
    const events = await queueEvents(queue.queue.name);
    const heard: ClaimCheckWarning[] = [];
    const emitted: Error[] = [];
    const onProcessWarning = (warning: Error) => emitted.push(warning);
    process.on('warning', onProcessWarning);
    onCleanup(async () => {
      process.off('warning', onProcessWarning);
    });
    let restore: () => Promise<void> = async () => undefined;
    // The processor has read its data; the store goes down before the worker deletes the removed job's blob.
    claimCheckWorker<Data, string>(queue.queue.name, async () => {
      restore = await storeDown(basePath, { fileInItsPlace: true });
      return 'done';
    }, { connection: connection(), manager, ...(given && { onWarning: (warning: ClaimCheckWarning) => heard.push(warning) }) });
    const job = await queue.add('job', dataOfSize(5000), { removeOnComplete: true });
    await queue.waitUntilFinished(job, events);
    const warnings = () => (given ? heard : emitted.filter((warning) => warning instanceof ClaimCheckWarning));
    await eventually(async () => warnings().length > 0);
    const [warning] = warnings();
    expect(warning).toBeInstanceOf(ClaimCheckWarning);
    expect(warning?.code).toBe('CLEANUP_FAILED');
    expect(warning?.message).toContain(queue.queue.qualifiedName);
    if (given) expect(emitted).toEqual([]);
    // Nothing was forgotten: with the store back, the next release deletes the blob.
    await restore();
    expect(await queue.releaseBlobs()).toBe(1);
    expect(await blobCount(store)).toBe(0);
  });

  it('a sweep given a bad age is refused with INVALID_CONFIG', async () => {
    const queue = new ClaimCheckQueue(plainQueue(), { manager: await managerFor() });
    const error: unknown = await queue.sweepOrphans({ olderThanMs: -5 }).catch((caught: unknown) => caught);
    expect(isClaimCheckError(error) && error.code).toBe('INVALID_CONFIG');
  });
});

describe('a blob stored for a job BullMQ then refuses', () => {
  it('is deleted again; when that delete fails too, onWarning hears CLEANUP_FAILED with its key and add rejects with BullMQ’s error', async () => {
    const store = new MemoryStore();
    const heard: ClaimCheckWarning[] = [];
    const queue = new ClaimCheckQueue<Data, string>(plainQueue(), { manager: await managerFor(store), onWarning: (warning) => heard.push(warning) });
    // BullMQ refuses a custom job id that is an integer, after the data was stored.
    await expect(queue.add('refused', dataOfSize(5000), { jobId: '12' })).rejects.toThrow(/integer/i);
    expect(await blobCount(store)).toBe(0);
    expect(heard).toEqual([]);
    // A fault a memory store cannot produce for real: its delete fails as an unreachable store's would.
    const unavailable = new ClaimCheckError({ code: 'UNAVAILABLE', operation: 'delete', backend: 'memory', detail: 'connect ECONNREFUSED' });
    Object.assign(store, { delete: () => Promise.reject(unavailable) });
    await expect(queue.add('refused', dataOfSize(5000), { jobId: '13' })).rejects.toThrow(/integer/i);
    const keys: string[] = [];
    for await (const key of store.listKeys()) keys.push(key);
    const [key] = keys;
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ code: 'CLEANUP_FAILED', key });
    expect(heard[0]?.message).toContain('ECONNREFUSED');
  });
});
