import { fileURLToPath } from 'node:url';
import { ClaimCheckError } from '@claimcheck/core';
import type { ManagerConfig } from '@claimcheck/manager';
import { Worker, type Job, type WorkerOptions } from 'bullmq';
import { holdersFor, registerBlobs } from './blob-registry.js';
import { releaseBlobs } from './blob-release.js';
import { BlobReleaser } from './blob-releaser.js';
import { claimCheckJobClass } from './claim-check-job.js';
import { processWithClaimCheck, type ClaimCheckProcessor, type StoredListener } from './job-processing.js';
import { PayloadCodec } from './payload-codec.js';
import type { ClaimCheckOptions } from './queue.js';
import { redisClientOf } from './redis-access.js';
import { resultRetentionOf, type RetentionOptions } from './retention.js';
import { managerConfigVariable, processorVariable } from './sandbox-environment.js';
import { cleanupWarner, type CleanupWarner } from './warnings.js';

/** Options of `ClaimCheckWorker`: BullMQ's `WorkerOptions` and the claimcheck settings, in one object. */
export interface ClaimCheckWorkerOptions extends WorkerOptions, ClaimCheckOptions, RetentionOptions {
  /**
   * Settings for the manager a sandboxed processor creates in its own process or thread: plain values
   * only (no `store` instance, no `onEvent`). Unset, the sandbox uses `configFromEnv()`. The sandbox's
   * own warnings go to its `process.emitWarning`: a function such as `onWarning` cannot cross over.
   */
  sandboxManager?: ManagerConfig;
}

/**
 * A BullMQ `Worker` whose processor sees each job's original data. `processor` is a function, or the
 * path (or file URL) of a sandboxed processor file, as BullMQ takes it. Large return values and
 * `job.updateData` are offloaded as large data is; the worker deletes a job's data blobs once BullMQ has
 * removed the job, and its result blobs once the job is removed and `resultRetentionMs` has passed since it completed.
 */
export class ClaimCheckWorker<DataType = unknown, ResultType = unknown, NameType extends string = string> extends Worker<DataType, ResultType, NameType> {
  readonly #codec: PayloadCodec;
  readonly #warn: CleanupWarner;
  readonly #retentionMs: number;
  readonly #sandboxed: boolean;
  readonly #releaser: BlobReleaser;
  #jobClass: typeof Job | undefined;

  constructor(name: string, processor: ClaimCheckProcessor<DataType, ResultType, NameType> | string | URL, opts: ClaimCheckWorkerOptions) {
    const { manager, onWarning, resultRetentionMs, sandboxManager, ...workerOptions } = opts;
    // Checked before BullMQ's constructor runs, which may start the worker.
    const retentionMs = resultRetentionOf({ ...(resultRetentionMs !== undefined && { resultRetentionMs }) }, 'ClaimCheckWorker');
    const sandboxed = typeof processor !== 'function';
    super(name, sandboxed ? sandboxEntry() : processor, sandboxed ? withSandboxEnvironment(workerOptions, processor, sandboxManager) : workerOptions);
    this.#codec = new PayloadCodec(manager);
    this.#warn = cleanupWarner({ ...(onWarning !== undefined && { onWarning }) });
    this.#retentionMs = retentionMs;
    this.#sandboxed = sandboxed;
    this.#releaser = new BlobReleaser(
      async () => (await releaseBlobs(await redisClientOf(this), this.qualifiedName, manager)).nextDueAt,
      (error) => {
        this.#warn(`could not delete the blobs of removed jobs of queue ${this.qualifiedName}; they stay recorded and the next release tries again`, error);
      },
    );
    this.on('completed', (job, result) => {
      this.#releaser.request(this.#registerSandboxBlobs(job as Job, result));
    });
    this.on('failed', (job) => {
      this.#releaser.request(job === undefined ? undefined : this.#registerSandboxBlobs(job as Job));
    });
  }

  /**
   * Closes the worker. Unless `force` is set, active jobs finish and the blobs of removed jobs are
   * released first; anything that finishes later (a forced close), or whose retention ends later, is
   * caught up by the next release of the queue. The manager is not closed.
   */
  override async close(force = false): Promise<void> {
    if (!force) await this.pause();
    await this.#releaser.idle();
    this.#releaser.stop();
    await super.close(force);
  }

  // BullMQ's hook for a worker's job class: ours offloads `updateData`. A sandboxed processor's
  // updateData already sends a reference from the child, which the plain class stores as it is.
  protected override get Job(): typeof Job {
    if (this.#sandboxed) return super.Job;
    this.#jobClass ??= claimCheckJobClass(super.Job, this.#codec, (job) => this.#registerFor(job));
    return this.#jobClass;
  }

  // BullMQ's hook around the processor: data resolved before it runs, a large result offloaded after.
  // A sandboxed processor does both in its own process (see sandbox.ts).
  protected override async callProcessJob(job: Job<DataType, ResultType, NameType>, token: string, signal?: AbortSignal): Promise<ResultType> {
    if (this.#sandboxed) return super.callProcessJob(job, token, signal);
    return (await processWithClaimCheck(job, (resolved) => super.callProcessJob(resolved, token, signal), this.#codec, this.#registerFor(job))) as ResultType;
  }

  // Records each blob a job is about to carry, before the job refers to it.
  #registerFor(job: Job): StoredListener {
    return async (carried, role) => {
      await registerBlobs(await redisClientOf(this), job.queueQualifiedName, holdersFor(job, role, this.#retentionMs), [carried]);
    };
  }

  // A sandbox cannot reach Redis, so its blobs are recorded here, from what the job now carries.
  async #registerSandboxBlobs(job: Job, result?: unknown): Promise<void> {
    if (!this.#sandboxed) return;
    await Promise.all([this.#registerFor(job)(job.data, 'data'), this.#registerFor(job)(result, 'result')]).catch((error: unknown) => {
      this.#warn(`could not record the blobs of job ${job.id ?? ''} of queue ${job.queueQualifiedName}; sweepOrphans deletes them once they are older than its window`, error);
    });
  }
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
  const live: string[] = (['store', 'onEvent', 'onWarning'] as const).filter((field) => config[field] !== undefined);
  if (config.storageType !== undefined && typeof config.storageType !== 'string') live.push('a provider object as storageType');
  if (live.length > 0) {
    throw new ClaimCheckError({
      code: 'INVALID_CONFIG',
      operation: 'ClaimCheckWorker',
      backend: 'bullmq',
      detail: `sandboxManager cannot carry ${live.join(' or ')} into another process: use plain settings, e.g. storageType and storeOptions`,
    });
  }
  return JSON.stringify(config);
}
