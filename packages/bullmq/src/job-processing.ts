import type { Job } from 'bullmq';
import type { PayloadCodec } from './payload-codec.js';

/** A processor whose `job.data` is the original data, whatever the job carries in Redis. */
export type ClaimCheckProcessor<DataType = unknown, ResultType = unknown, NameType extends string = string> = (
  job: Job<DataType, ResultType, NameType>,
  token?: string,
  signal?: AbortSignal,
) => Promise<ResultType>;

/** What a stored blob is to its job: data (released with the job) or a result (kept for the retention window). */
export type BlobRole = 'data' | 'result';

/** The part of a job processing touches: a BullMQ `Job`, or the stand-in a sandboxed processor receives. */
export interface ProcessedJob {
  id?: string;
  data: unknown;
  updateData(data: unknown): Promise<void>;
}

/**
 * Runs `processor` on `job` with its data resolved first, `job.updateData` offloading as `add` does, and
 * a large return value offloaded. `onStored` hears of every value stored, and its role, before the job refers to it.
 * A blob that cannot be resolved fails the job with a `ClaimCheckError` naming its reference, so the
 * processor never runs with missing data.
 */
export async function processWithClaimCheck<J extends ProcessedJob>(
  job: J,
  run: (job: J) => Promise<unknown>,
  codec: PayloadCodec,
  onStored: (carried: unknown, role: BlobRole) => Promise<void>,
): Promise<unknown> {
  const name = `job ${job.id ?? '(no id)'}`;
  job.data = await codec.decodeFor(job.data, `the data of ${name}`);
  const updateData = job.updateData.bind(job);
  job.updateData = async (data: unknown) => {
    const carried = await codec.encodeFor(data, `the updated data of ${name}`);
    await onStored(carried, 'data');
    await updateData(carried);
    job.data = data;
  };
  const result = await run(job);
  const carried = await codec.encodeFor(result, `the return value of ${name}`);
  await onStored(carried, 'result');
  return carried;
}
