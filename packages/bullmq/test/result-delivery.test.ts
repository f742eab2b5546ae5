import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createManager } from '@claimcheck/manager';
import { ClaimCheckQueue } from '@claimcheck/bullmq';
import type { JobsOptions } from 'bullmq';
import { describe, expect, inject, it } from 'vitest';
import { claimCheckWorker, connection, filesystemStore, managerFor, onCleanup, plainQueue, queueEvents } from './support/fixtures.js';

type Result = { seed: number; blob: string };

// Every way BullMQ removes a finished job: at once, beyond a count, beyond an age (in seconds).
const removals: { name: string; opts: JobsOptions }[] = [
  { name: 'removeOnComplete: true', opts: { removeOnComplete: true, removeOnFail: true } },
  { name: 'removeOnComplete: { count: 3 }', opts: { removeOnComplete: { count: 3 }, removeOnFail: { count: 3 } } },
  { name: 'removeOnComplete: { age: 1 }', opts: { removeOnComplete: { age: 1 }, removeOnFail: { age: 1 } } },
];

/** A processor that returns a large, incompressible result and records the SHA-256 of its JSON by job id. */
function largeResults(expected: Map<string, string>, bytes = 200_000) {
  return async (job: { id?: string; data: { seed: number } }): Promise<Result> => {
    const result = { seed: job.data.seed, blob: randomBytes(Math.floor((bytes * 3) / 4)).toString('base64') };
    expected.set(String(job.id), sha256(JSON.stringify(result)));
    return result;
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe.each(removals)('a large result under $name', ({ opts }) => {
  it('reaches waitUntilFinished byte for byte, one job at a time, and getJob while BullMQ keeps the job', async () => {
    const { store } = await filesystemStore();
    const manager = await managerFor(store);
    const queue = new ClaimCheckQueue<{ seed: number }, Result>(plainQueue(), { manager });
    const events = await queueEvents(queue.queue.name);
    const expected = new Map<string, string>();
    claimCheckWorker(queue.queue.name, largeResults(expected, 1024 * 1024), { connection: connection(), manager });
    const failures: string[] = [];
    const jobs = 40;
    for (let seed = 0; seed < jobs; seed++) {
      const job = await queue.add('result', { seed }, opts);
      const result = await queue.waitUntilFinished(job, events).catch((error: unknown) => {
        failures.push((error as { code?: string }).code ?? String(error));
      });
      if (result !== undefined) expect(sha256(JSON.stringify(result))).toBe(expected.get(String(job.id)));
    }
    expect(failures).toEqual([]);
    // Whatever BullMQ still keeps, getJob resolves too.
    for (const kept of await queue.queue.getCompleted()) {
      expect(sha256(JSON.stringify((await queue.getJob(String(kept.id)))?.returnvalue))).toBe(expected.get(String(kept.id)));
    }
  });

  it('reaches onCompleted in another process byte for byte', async () => {
    const { basePath } = await filesystemStore();
    const manager = await createManager({ storageType: 'filesystem', storeOptions: { basePath }, thresholdBytes: 1024 });
    onCleanup(() => manager.close());
    const queue = new ClaimCheckQueue<{ seed: number }, Result>(plainQueue(), { manager });
    const jobs = 40;
    const listener = spawn(process.execPath, [fileURLToPath(new URL('fixtures/completed-listener-process.mjs', import.meta.url))], {
      env: { ...process.env, QUEUE: queue.queue.name, EVENTS: String(jobs), REDIS_PORT: String(inject('redis').port), BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: basePath },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => listener.once('exit', resolve));
    onCleanup(async () => {
      listener.kill();
      await exited;
    });
    const lines = createInterface({ input: listener.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    const expected = new Map<string, string>();
    claimCheckWorker(queue.queue.name, largeResults(expected), { connection: connection(), concurrency: 4, manager });
    await queue.addBulk(Array.from({ length: jobs }, (_, seed) => ({ name: 'result', data: { seed }, opts })));
    const heard: { jobId?: string; sha256?: string; error?: string }[] = [];
    for await (const line of lines) heard.push(JSON.parse(line) as (typeof heard)[number]);
    expect(await exited).toBe(0);
    expect(heard.filter((line) => line.error !== undefined)).toEqual([]);
    expect(new Map(heard.map((line) => [line.jobId, line.sha256]))).toEqual(expected);
  });
});
