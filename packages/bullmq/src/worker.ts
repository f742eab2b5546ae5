import { fileURLToPath } from 'node:url';
import { ClaimCheckError } from '@claimcheck/core';
import type { ManagerConfig } from '@claimcheck/manager';
import { Worker, type Job, type WorkerOptions } from 'bullmq';
import { holdersFor, registerBlobs } from './blob-registry.js';
import { releaseBlobs } from './blob-release.js';
import { BlobReleaser } from './blob-releaser.js';
import { processWithClaimCheck, type ClaimCheckProcessor } from './job-processing.js';
import { PayloadCodec } from './payload-codec.js';
import type { ClaimCheckOptions } from './queue.js';
import { redisClientOf } from './redis-access.js';
import { resultRetentionOf, type RetentionOptions } from './retention.js';
import { managerConfigVariable, processorVariable } from './sandbox-environment.js';
import { cleanupWarner } from './warnings.js';

/** Options of `createWorker`. */
export interface ClaimCheckWorkerOptions extends ClaimCheckOptions, RetentionOptions {
  /**
   * Settings for the manager a sandboxed processor creates in its own process or thread: plain values
   * only (no `store` instance, no `onEvent`). Unset, the sandbox uses `configFromEnv()`. The sandbox's
   * own warnings go to its `process.emitWarning`: a function such as `onWarning` cannot cross over.
   */
  sandboxManager?: ManagerConfig;
}

/**
 * A BullMQ `Worker` whose processor sees each job's original data. `processor` is a function, or the
 * path (or file URL) of a sandboxed processor file, as BullMQ takes it. Large return values are
 * offloaded as large data is; the worker deletes a job's data blobs once BullMQ has removed the job,
 * and its result blobs once the job is removed and `resultRetentionMs` has passed since it completed.
 */
export function createWorker<DataType = unknown, ResultType = unknown, NameType extends string = string>(
  name: string,
  processor: ClaimCheckProcessor<DataType, ResultType, NameType> | string | URL,
  options: WorkerOptions,
  workerOptions: ClaimCheckWorkerOptions,
): Worker<DataType, ResultType, NameType> {
  const { manager, sandboxManager } = workerOptions;
  const retentionMs = resultRetentionOf(workerOptions, 'createWorker');
  const warn = cleanupWarner(workerOptions);
  const codec = new PayloadCodec(manager);
  const sandboxed = typeof processor !== 'function';
  const worker: Worker<DataType, ResultType, NameType> = sandboxed
    ? new Worker<DataType, ResultType, NameType>(name, sandboxEntry(), withSandboxEnvironment(options, processor, sandboxManager))
    : new Worker<DataType, ResultType, NameType>(
        name,
        (job, token, signal) =>
          processWithClaimCheck(job, (resolved) => processor(resolved, token, signal), codec, async (carried, role) => {
            await registerBlobs(await redisClientOf(worker), job.queueQualifiedName, holdersFor(job, role, retentionMs), [carried]);
          }) as Promise<ResultType>,
        options,
      );
  const releaser = new BlobReleaser(
    async () => (await releaseBlobs(await redisClientOf(worker), worker.qualifiedName, manager)).nextDueAt,
    (error) => {
      warn(`could not delete the blobs of removed jobs of queue ${worker.qualifiedName}; they stay recorded and the next release tries again`, error);
    },
  );
  // A sandbox cannot reach Redis, so its blobs are recorded here, from what the job now carries.
  const registerSandboxBlobs = async (job: Job, result?: unknown) => {
    if (!sandboxed) return;
    const redis = await redisClientOf(worker);
    await Promise.all([
      registerBlobs(redis, job.queueQualifiedName, holdersFor(job, 'data'), [job.data]),
      registerBlobs(redis, job.queueQualifiedName, holdersFor(job, 'result', retentionMs), [result]),
    ]).catch((error: unknown) => {
      warn(`could not record the blobs of job ${job.id ?? ''} of queue ${job.queueQualifiedName}; sweepOrphans deletes them once they are older than its window`, error);
    });
  };
  worker.on('completed', (job, result) => {
    releaser.request(registerSandboxBlobs(job as Job, result));
  });
  worker.on('failed', (job) => {
    releaser.request(job === undefined ? undefined : registerSandboxBlobs(job as Job));
  });
  // Active jobs finish and their blobs are released before the connection closes; anything that
  // finishes later (a forced close), or whose retention ends later, is caught up by the next release of the queue.
  const close = worker.close.bind(worker);
  worker.close = async (force?: boolean) => {
    if (force !== true) await worker.pause();
    await releaser.idle();
    releaser.stop();
    await close(force);
  };
  return worker;
}

function sandboxEntry(): string {
  return fileURLToPath(new URL('./sandbox.js', import.meta.url));
}

function withSandboxEnvironment(options: WorkerOptions, processor: string | URL, sandboxManager: ManagerConfig | undefined): WorkerOptions {
  const variables: Record<string, string> = { [processorVariable]: processor instanceof URL ? processor.href : processor };
  if (sandboxManager !== undefined) variables[managerConfigVariable] = serializableConfig(sandboxManager);
  // SHARE_ENV (a symbol) cannot carry extra variables: the thread gets a copy of this process's environment instead.
  const threadEnvironment = options.workerThreadsOptions?.env;
  return {
    ...options,
    workerForkOptions: { ...options.workerForkOptions, env: { ...(options.workerForkOptions?.env ?? process.env), ...variables } },
    workerThreadsOptions: { ...options.workerThreadsOptions, env: { ...(typeof threadEnvironment === 'object' ? threadEnvironment : process.env), ...variables } },
  };
}

function serializableConfig(config: ManagerConfig): string {
  const live = (['store', 'onEvent'] as const).filter((field) => config[field] !== undefined);
  if (live.length > 0) {
    throw new ClaimCheckError({
      code: 'INVALID_CONFIG',
      operation: 'createWorker',
      backend: 'bullmq',
      detail: `sandboxManager cannot carry ${live.join(' or ')} into another process: use plain settings, e.g. storageType and filesystemBasePath`,
    });
  }
  return JSON.stringify(config);
}
