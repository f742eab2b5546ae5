// Consumes through claimCheckConsumer and records every delivery under results/ in the bucket.
import { claimCheckConsumer, type ClaimCheckMessage, type R2BucketLike } from '../../src/index.js';
import { type BucketEnv, managerFor, sha256Hex } from './worker-manager.js';

interface Scenario {
  scenario?: string;
}

async function record(bucket: R2BucketLike, name: string, value: unknown): Promise<void> {
  await bucket.put(`results/${name}`, new TextEncoder().encode(JSON.stringify(value)));
}

async function handle(message: ClaimCheckMessage<unknown>, env: BucketEnv): Promise<void> {
  const { id, attempts, offloaded } = message;
  let body: unknown;
  try {
    body = await message.body();
  } catch (error) {
    await record(env.BUCKET, `${id}/${attempts}`, { offloaded, attempts, error: (error as { code?: string }).code });
    throw error; // the handler fails: Workers retries the message
  }
  if (body instanceof Uint8Array) {
    await record(env.BUCKET, id, { offloaded, attempts, size: body.byteLength, sha256: await sha256Hex(body) });
    message.ack();
    return;
  }
  const { scenario } = body as Scenario;
  // A mixed-scenario body is small and its content is what the test checks: it is recorded whole.
  await record(env.BUCKET, `${id}/${attempts}`, { offloaded, attempts, scenario, ...(scenario === 'mixed' ? { body } : {}) });
  if (scenario === 'retry-three-times' && attempts <= 3) message.retry();
  else message.ack();
}

export default {
  queue: claimCheckConsumer<BucketEnv>((env) => managerFor(env), async (batch, env) => {
    if (batch.queue === 'dead') {
      for (const message of batch.messages) await record(env.BUCKET, `dead/${message.id}`, { attempts: message.attempts, offloaded: message.offloaded });
      return;
    }
    for (const message of batch.messages) await handle(message, env);
  }),
};
