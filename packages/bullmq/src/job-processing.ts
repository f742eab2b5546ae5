import type { Job } from 'bullmq';
import { referenceBytes, type PayloadCodec } from './payload-codec.js';

/** A processor whose `job.data` is the original data, whatever the job carries in Redis. */
export type ClaimCheckProcessor<DataType = unknown, ResultType = unknown, NameType extends string = string> = (
  job: Job<DataType, ResultType, NameType>,
  token?: string,
  signal?: AbortSignal,
) => Promise<ResultType>;

/** What a stored blob is to its job: data (released with the job) or a result (kept for the retention window). */
export type BlobRole = 'data' | 'result';

/** Hears of every value about to be carried by a job, and its role, before the job refers to it. */
export type StoredListener = (carried: unknown, role: BlobRole) => Promise<void>;

/** The part of a job processing touches: a BullMQ `Job`, or the stand-in a sandboxed processor receives. */
export interface ProcessedJob {
  id?: string;
  data: unknown;
}

function jobName(job: ProcessedJob): string {
  return `job ${job.id ?? '(no id)'}`;
}

/**
 * Runs `run` on `job` with its data resolved first, and offloads a large return value. A blob that
 * cannot be resolved fails the job with a `ClaimCheckError` naming its reference, so the processor
 * never runs with missing data.
 */
export async function processWithClaimCheck<J extends ProcessedJob>(job: J, run: (job: J) => Promise<unknown>, codec: PayloadCodec, onStored: StoredListener): Promise<unknown> {
  // Most jobs carry their data inline: they are not made to wait a turn for a decode that does nothing.
  if (referenceBytes(job.data) !== undefined) job.data = await codec.decodeFor(job.data, `the data of ${jobName(job)}`);
  const result = await run(job);
  const encoded = codec.encodeFor(result, `the return value of ${jobName(job)}`);
  const carried: unknown = encoded instanceof Promise ? await (encoded as Promise<object>) : encoded;
  // A value that stayed inline comes back as itself, and names no blob to record.
  if (carried !== result) await onStored(carried, 'result');
  return carried;
}

/**
 * `job.updateData(data)` as `add` stores data: `update` (BullMQ's own `updateData`) receives what the
 * job carries, and `job.data` is the original again afterwards.
 */
export async function updateDataWithClaimCheck(job: ProcessedJob, data: unknown, update: (carried: unknown) => Promise<void>, codec: PayloadCodec, onStored: StoredListener): Promise<void> {
  const carried = await codec.encodeFor(data, `the updated data of ${jobName(job)}`);
  if (carried !== data) await onStored(carried, 'data');
  await update(carried);
  job.data = data;
}
