import { ClaimCheckError } from '@claimcheck/core';
import type { ClaimCheckManager } from '@claimcheck/manager';
import type { BulkJobOptions, Job, JobsOptions, Queue, QueueEvents } from 'bullmq';
import { holdersFor, registerBlobs } from './blob-registry.js';
import { releaseBlobs } from './blob-release.js';
import { onCompletedResolved, type CompletedListener } from './completed-events.js';
import { discardBlobs } from './discard-blobs.js';
import { sweepOrphans, type OrphanSweepOptions, type OrphanSweepReport } from './orphan-sweep.js';
import { PayloadCodec, referenceBytes } from './payload-codec.js';
import { redisClientOf } from './redis-access.js';
import { positiveMilliseconds, resultRetentionOf, type RetentionOptions } from './retention.js';
import { cleanupWarner, type CleanupWarner, type WarningOptions } from './warnings.js';

/** What every claimcheck wrapper takes: the manager that offloads and resolves payloads, and where its warnings go. */
export interface ClaimCheckOptions extends WarningOptions {
  /** Offloads data over its threshold and resolves references; the wrapper never closes it. */
  manager: ClaimCheckManager;
}

/** Options of `ClaimCheckQueue`: `resultRetentionMs` is the default age of `sweepOrphans`. */
export interface ClaimCheckQueueOptions extends ClaimCheckOptions, RetentionOptions {}

/**
 * A BullMQ `Queue` whose jobs keep large data out of Redis: `add` and `addBulk` serialize the data once;
 * over the manager's threshold it goes to the store and the job carries a small JSON reference, under
 * it the job is byte for byte what plain BullMQ stores. Job options pass through unchanged.
 */
export class ClaimCheckQueue<DataType = unknown, ResultType = unknown, NameType extends string = string> {
  /** The wrapped queue, for everything this class does not change. */
  readonly queue: Queue;
  readonly #codec: PayloadCodec;
  readonly #warn: CleanupWarner;
  readonly #retentionMs: number;

  constructor(queue: Queue, options: ClaimCheckQueueOptions) {
    this.queue = queue;
    this.#codec = new PayloadCodec(options.manager);
    this.#warn = cleanupWarner(options);
    this.#retentionMs = resultRetentionOf(options, 'ClaimCheckQueue');
  }

  /**
   * Adds a job. If the store is down the promise rejects and no job is created. A repeating job whose
   * data would be offloaded is refused with `INVALID_PAYLOAD`: every repetition would share one blob
   * that removing the first repetition deletes.
   */
  add(name: NameType, data: DataType, opts?: JobsOptions): Promise<Job<DataType, ResultType, NameType>> {
    const encoded = this.#codec.encodeFor(data, `the data of a ${name} job`);
    // Most data stays inline, decided at once: the job is plain BullMQ's, carrying `data` itself, and
    // this adds no promise of its own to it.
    if (!(encoded instanceof Promise)) return this.queue.add(name, encoded, opts) as Promise<Job<DataType, ResultType, NameType>>;
    return this.#addOffloaded(name, data, encoded, opts);
  }

  async #addOffloaded(name: NameType, data: DataType, encoded: Promise<object>, opts: JobsOptions | undefined): Promise<Job<DataType, ResultType, NameType>> {
    const carried = await encoded; // a reference
    // `repeat` is a BullMQ 5 option; 6 has job schedulers instead and its types lack it.
    if ((opts as { repeat?: unknown } | undefined)?.repeat !== undefined) {
      const detail = `the data of the repeating ${name} job is over the threshold; pass a reference your code owns instead`;
      return discardBlobs(this.#codec.manager, this.#warn, [carried], new ClaimCheckError({ code: 'INVALID_PAYLOAD', operation: 'add', backend: 'bullmq', detail }));
    }
    const job = await this.queue.add(name, carried, opts).catch((error: unknown) => discardBlobs(this.#codec.manager, this.#warn, [carried], error));
    await this.#register(job, carried);
    return withData(job, data);
  }

  /** Adds several jobs at once; if any data cannot be stored, none of the jobs is created. */
  async addBulk(jobs: { name: NameType; data: DataType; opts?: BulkJobOptions }[]): Promise<Job<DataType, ResultType, NameType>[]> {
    // encodeFor never throws: a job whose data can't be serialized fails its own entry, and the others' blobs are discarded.
    const settled = await Promise.allSettled(jobs.map(({ name, data }) => this.#codec.encodeFor(data, `the data of a ${name} job`)));
    const carried = settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined));
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) return discardBlobs(this.#codec.manager, this.#warn, carried, failure.reason);
    const added = await this.queue
      .addBulk(jobs.map((job, index) => ({ ...job, data: carried[index] })))
      .catch((error: unknown) => discardBlobs(this.#codec.manager, this.#warn, carried, error));
    await Promise.all(added.map((job, index) => this.#register(job, carried[index])));
    return added.map((job, index) => withData(job, jobs[index]?.data as DataType));
  }

  /** The job with its data and return value resolved, or undefined when there is no such job. */
  async getJob(jobId: string): Promise<Job<DataType, ResultType, NameType> | undefined> {
    const job = (await this.queue.getJob(jobId)) as Job<DataType, ResultType, NameType> | undefined;
    if (job === undefined) return undefined;
    job.data = (await this.#codec.decodeFor(job.data, `the data of job ${jobId}`)) as DataType;
    job.returnvalue = (await this.#codec.decodeFor(job.returnvalue, `the return value of job ${jobId}`)) as ResultType;
    return job;
  }

  /**
   * Listens to `queueEvents`' `completed` events with each `returnvalue` resolved to the original. A result
   * that cannot be resolved is emitted as `queueEvents`' `'error'` (a `ClaimCheckError`). Returns a
   * function that stops listening.
   */
  onCompleted(queueEvents: QueueEvents, listener: CompletedListener<ResultType>): () => void {
    return onCompletedResolved(queueEvents, this.#codec, listener);
  }

  /** The original of a value a job carries, e.g. a `getChildrenValues()` entry. */
  resolveValue(value: unknown): Promise<unknown> {
    return this.#codec.decodeFor(value, 'a job value');
  }

  /** `job.waitUntilFinished`, resolving to the original return value. */
  async waitUntilFinished(job: Job<DataType, ResultType, NameType>, queueEvents: QueueEvents, ttl?: number): Promise<ResultType> {
    const returnvalue: unknown = await job.waitUntilFinished(queueEvents, ttl);
    return (await this.#codec.decodeFor(returnvalue, `the return value of job ${String(job.id)}`)) as ResultType;
  }

  /** `queue.remove`, then deletes the blobs of the removed job(s) (a result once its retention has passed). */
  async remove(jobId: string, opts?: { removeChildren?: boolean }): Promise<number> {
    const removed = await this.queue.remove(jobId, opts);
    await this.releaseBlobs();
    return removed;
  }

  /** `queue.clean`, then deletes the blobs of the cleaned jobs. */
  async clean(...args: Parameters<Queue['clean']>): Promise<string[]> {
    const removed = await this.queue.clean(...args);
    await this.releaseBlobs();
    return removed;
  }

  /** `queue.obliterate`, then deletes the blobs of every job it removed. */
  async obliterate(opts?: Parameters<Queue['obliterate']>[0]): Promise<void> {
    await this.queue.obliterate(opts);
    await this.releaseBlobs();
  }

  /**
   * Deletes the blobs of this queue's jobs that no longer exist — removed by `removeOnComplete`,
   * `removeOnFail`, `job.remove()` or anything else — data at once, results once their retention has
   * passed. A `ClaimCheckWorker` calls it after every finished job and when a retention ends;
   * call it yourself after removing jobs some other way. Resolves with the number deleted.
   */
  async releaseBlobs(): Promise<number> {
    return (await releaseBlobs(await redisClientOf(this.queue), this.queue.qualifiedName, this.#codec.manager)).released;
  }

  /**
   * Deletes what no job can reach any more, for every queue in this Redis: the blobs `releaseBlobs`
   * would delete, and blobs no queue's registry records that are older than `olderThanMs` (default
   * `resultRetentionMs`) — left by a Redis restarted without its data, or a crash between storing and
   * recording. Lists the whole store: run it now and then, and only when the store (directory, bucket
   * prefix) holds nothing but the blobs of the BullMQ queues in this Redis database, and they keep
   * their blobs in it.
   */
  async sweepOrphans(options: OrphanSweepOptions = {}): Promise<OrphanSweepReport> {
    const olderThanMs = options.olderThanMs === undefined ? this.#retentionMs : positiveMilliseconds(options.olderThanMs, 'olderThanMs', 'sweepOrphans');
    return sweepOrphans(await redisClientOf(this.queue), this.#codec.manager, olderThanMs, options.signal);
  }

  /** Closes the wrapped queue (not the manager, which may be shared). */
  close(): Promise<void> {
    return this.queue.close();
  }

  async #register(job: Job, carried: unknown): Promise<void> {
    if (referenceBytes(carried) === undefined || job.id === undefined) return;
    await registerBlobs(await redisClientOf(this.queue), job.queueQualifiedName, holdersFor(job, 'data'), [carried]);
  }
}

// The job BullMQ returns carries the reference; the caller gets back the data it passed in.
function withData<DataType, ResultType, NameType extends string>(job: Job, data: DataType): Job<DataType, ResultType, NameType> {
  const typed = job as Job<DataType, ResultType, NameType>;
  typed.data = data;
  return typed;
}
