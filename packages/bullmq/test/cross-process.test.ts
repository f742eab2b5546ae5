import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdir } from 'node:fs/promises';
import { configFromEnv, createManager, parseReference } from '@claimcheck/manager';
import { ClaimCheckQueue } from '@claimcheck/bullmq';
import { describe, expect, inject, it } from 'vitest';
import { filesystemStore, onCleanup, plainQueue, queueEvents } from './support/fixtures.js';

const sizes = [1, 10, 100].map((megabytes) => megabytes * 1024 * 1024);

describe('a worker in another process', () => {
  it('receives 1 MB, 10 MB and 100 MB job data byte for byte', async () => {
    const { basePath } = await filesystemStore();
    const manager = await createManager({ storageType: 'filesystem', storeOptions: { basePath } });
    onCleanup(() => manager.close());
    const queue = new ClaimCheckQueue<{ size: number; blob: string }, { pid: number; bytes: number; sha256: string }>(plainQueue(), { manager });
    const events = await queueEvents(queue.queue.name);
    const child = spawn(process.execPath, [fileURLToPath(new URL('fixtures/worker-process.mjs', import.meta.url))], {
      env: { ...process.env, QUEUE: queue.queue.name, JOBS: String(sizes.length), REDIS_PORT: String(inject('redis').port), BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: basePath },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    onCleanup(async () => {
      child.kill();
      await exited;
    });
    // One job at a time, so that at most one large payload is in memory in each process.
    for (const size of sizes) {
      // Random bytes as base64: JSON that gzip cannot shrink to nothing, so the full size is stored and read.
      const data = { size, blob: randomBytes(Math.floor((size * 3) / 4)).toString('base64') };
      const json = JSON.stringify(data);
      const expected = { bytes: Buffer.byteLength(json), sha256: createHash('sha256').update(json).digest('hex') };
      const job = await queue.add('payload', data);
      const result = await queue.waitUntilFinished(job, events, 120_000);
      expect(result).toMatchObject(expected);
      expect(result.pid).toBe(child.pid);
    }
    expect(await exited).toBe(0);
  }, 300_000);

  it('uses a third party’s store chosen by BLOB_STORAGE_TYPE alone, on both sides', async () => {
    const directory = join((await filesystemStore()).basePath, 'acme');
    const env = { BLOB_STORAGE_TYPE: '@acme/claimcheck-store-x', ACME_STORE_DIR: directory };
    const manager = await createManager(configFromEnv(env));
    onCleanup(() => manager.close());
    const queue = new ClaimCheckQueue<{ blob: string }, { pid: number; bytes: number; sha256: string }>(plainQueue(), { manager });
    const events = await queueEvents(queue.queue.name);
    const child = spawn(process.execPath, [fileURLToPath(new URL('fixtures/worker-process.mjs', import.meta.url))], {
      env: { ...process.env, QUEUE: queue.queue.name, JOBS: '1', REDIS_PORT: String(inject('redis').port), ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    onCleanup(async () => {
      child.kill();
      await exited;
    });
    const data = { blob: randomBytes(300_000).toString('base64') };
    const json = JSON.stringify(data);
    const job = await queue.add('payload', data);
    // Redis holds a reference into the acme store, not the data.
    const stored = (await queue.queue.getJob(String(job.id)))?.data as unknown;
    expect(parseReference(JSON.stringify(stored)).storage).toBe('acme');
    expect(await readdir(directory)).toHaveLength(1);
    const result = await queue.waitUntilFinished(job, events, 120_000);
    expect(result).toMatchObject({ pid: child.pid, bytes: Buffer.byteLength(json), sha256: createHash('sha256').update(json).digest('hex') });
    expect(await exited).toBe(0);
  }, 300_000);
});
