// What a Worker that uses claimcheck imports: the manager, R2BindingStore and the Queues and Workflows wrappers.
import { createManager } from '@claimcheck/manager';
import { claimCheckConsumer, claimCheckQueue, claimCheckWorkflow, R2BindingStore, type QueueLike, type R2BucketLike } from '../../src/index.js';

interface Env {
  BUCKET: R2BucketLike;
  JOBS: QueueLike;
}

const managerFor = (env: Env) => createManager({ store: new R2BindingStore({ bucket: env.BUCKET }) });

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const manager = await managerFor(env);
    await claimCheckQueue(env.JOBS, manager).send(new Uint8Array(await request.arrayBuffer()));
    const carried = await claimCheckWorkflow(manager).payload({ received: true });
    return Response.json(carried);
  },
  queue: claimCheckConsumer<Env>(managerFor, async (batch) => {
    for (const message of batch.messages) await message.body();
  }),
};
