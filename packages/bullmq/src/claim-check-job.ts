import type { Job } from 'bullmq';
import { updateDataWithClaimCheck, type StoredListener } from './job-processing.js';
import type { PayloadCodec } from './payload-codec.js';

/**
 * A subclass of `base` (the worker's BullMQ `Job` class) whose `updateData` offloads large data as
 * `add` does. A `ClaimCheckWorker` hands it to BullMQ through the `Job` getter BullMQ provides for
 * this, so every job the worker fetches is one, and no job object is patched.
 */
export function claimCheckJobClass(base: typeof Job, codec: PayloadCodec, onStored: (job: Job) => StoredListener): typeof Job {
  class ClaimCheckJob extends base {
    override updateData(data: unknown): Promise<void> {
      return updateDataWithClaimCheck(this, data, (carried) => super.updateData(carried), codec, onStored(this));
    }
  }
  // The subclass is generic only through `base`; TypeScript cannot see that its constructor keeps Job's type parameters.
  return ClaimCheckJob as unknown as typeof Job;
}
