// The Worker the benchmarks drive: small sends through claimCheckQueue or straight to the queue, and
// 1 MB offloads through the manager on R2BindingStore.
import { createManager } from '@claimcheck/manager';
import { claimCheckQueue, R2BindingStore, type QueueLike, type R2BucketLike } from '../src/index.js';

interface Env {
  BUCKET: R2BucketLike;
  JOBS: QueueLike;
}

// A bucket in the isolate's memory: the offload is timed without R2's I/O, which is what CPU time bills.
function memoryBucket(): R2BucketLike {
  const objects = new Map<string, Uint8Array>();
  const meta = (key: string, data: Uint8Array) => ({ key, size: data.byteLength, uploaded: new Date() });
  return {
    head: async (key) => { const data = objects.get(key); return data === undefined ? null : meta(key, data); },
    get: async () => null,
    put: async (key, value) => { objects.set(key, value.slice()); return meta(key, value); },
    delete: async () => undefined,
    list: async () => ({ objects: [], truncated: false }),
    createMultipartUpload: async () => { throw new Error('not used'); },
  };
}

// A queue binding that takes every message and does nothing with it.
const idleQueue: QueueLike = { send: async () => undefined, sendBatch: async () => undefined };

function payload(kind: string, size: number): Uint8Array {
  if (kind === 'random') {
    const bytes = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65_536)));
    return bytes;
  }
  const rows = [];
  for (let id = 0; rows.length * 40 < size; id++) rows.push({ id, status: id % 7 === 0 ? 'late' : 'ok', at: 1_700_000_000 + id });
  return new TextEncoder().encode(JSON.stringify(rows)).slice(0, size);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const count = Number(url.searchParams.get('count'));
    if (url.pathname === '/send') {
      // `count` sends of one small body, through claimCheckQueue (wrapped) or straight to the queue;
      // measured from Node around the whole request (workerd's CPU time, and wall time): the isolate's
      // clock moves only on I/O, so it would not see the wrapper's own work.
      // With queue=idle, the sends go to a binding that does nothing, so that only the wrapper's own work differs.
      const body = { order: 'o-1', note: 'x'.repeat(1000) };
      const wrapped = url.searchParams.get('side') === 'wrapped';
      const target = url.searchParams.get('queue') === 'idle' ? idleQueue : env.JOBS;
      const queue = claimCheckQueue(target, await createManager({ store: new R2BindingStore({ bucket: env.BUCKET }) }));
      for (let sent = 0; sent < count; sent++) {
        if (wrapped) await queue.send(body);
        else await target.send(body, { contentType: 'json' });
      }
      return new Response('ok');
    }
    // /offload: `count` offloads of 1 MB into a bucket in memory.
    const data = payload(url.searchParams.get('kind') ?? 'json', 1_000_000);
    const manager = await createManager({ store: new R2BindingStore({ bucket: memoryBucket() }) });
    for (let done = 0; done < count; done++) await manager.offload(data, { force: true });
    return new Response('ok');
  },
};
