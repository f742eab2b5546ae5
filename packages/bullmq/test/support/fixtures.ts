import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type ObjectStore } from '@claimcheck/core';
import { createManager, type ClaimCheckManager } from '@claimcheck/manager';
import { FilesystemStore } from '@claimcheck/store-fs';
import { ClaimCheckWorker } from '@claimcheck/bullmq';
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    redis: { host: string; port: number };
    /** The major version of bullmq the run's config puts behind `bullmq`. */
    bullmqMajor: number;
  }
}

/** How BullMQ reaches the test Redis; workers need `maxRetriesPerRequest: null`. */
export function connection(): ConnectionOptions {
  const { host, port } = inject('redis');
  return { host, port, maxRetriesPerRequest: null };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test, last registered first. */
export function onCleanup(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

/** A uniquely named plain queue, closed and obliterated after the test. */
export function plainQueue(name = `q-${randomUUID()}`): Queue {
  const queue = new Queue(name, { connection: connection() });
  onCleanup(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });
  return queue;
}

/** A QueueEvents for `name`, ready to hear events, closed after the test. */
export async function queueEvents(name: string): Promise<QueueEvents> {
  const events = new QueueEvents(name, { connection: connection() });
  onCleanup(() => events.close());
  await events.waitUntilReady();
  return events;
}

/** A direct Redis client for inspecting what BullMQ stored. */
export function redisClient(): Redis {
  const { host, port } = inject('redis');
  const redis = new Redis({ host, port });
  onCleanup(() => redis.quit());
  return redis;
}

/** A manager over `store` (a fresh MemoryStore by default), closed after the test. */
export async function managerFor(store: ObjectStore = new MemoryStore(), thresholdBytes = 1024): Promise<ClaimCheckManager> {
  const manager = await createManager({ store, thresholdBytes });
  onCleanup(() => manager.close());
  return manager;
}

/** A FilesystemStore in a temp directory removed after the test, for blobs other processes read. */
export async function filesystemStore(): Promise<{ store: FilesystemStore; basePath: string }> {
  const basePath = await mkdtemp(join(tmpdir(), 'claimcheck-bullmq-'));
  onCleanup(() => rm(basePath, { recursive: true, force: true }));
  return { store: new FilesystemStore({ basePath }), basePath };
}

/** How many blobs `store` holds. */
export async function blobCount(store: ObjectStore): Promise<number> {
  let count = 0;
  for await (const key of store.listKeys()) count += key === '' ? 0 : 1;
  return count;
}

/** Data whose JSON is about `bytes` long. */
export function dataOfSize(bytes: number, seed = 0): { seed: number; text: string } {
  return { seed, text: 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(bytes / 36)).slice(0, bytes) };
}

/** Resolves when `check` is true, polling; rejects after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A `ClaimCheckWorker`, closed after the test. */
export function claimCheckWorker<DataType, ResultType>(...args: ConstructorParameters<typeof ClaimCheckWorker<DataType, ResultType>>): ClaimCheckWorker<DataType, ResultType> {
  const worker = new ClaimCheckWorker<DataType, ResultType>(...args);
  onCleanup(() => worker.close());
  return worker;
}

/** What `run` throws, or undefined when it returns. */
export function catching(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
