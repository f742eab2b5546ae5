// Sends through claimCheckQueue (or, for comparison, straight to the queue) what the test asks for.
import { claimCheckQueue, type QueueLike } from '../../src/index.js';
import { type BucketEnv, managerFor, mixedBodies, patternBytes } from './worker-manager.js';

interface Env extends BucketEnv {
  JOBS: QueueLike;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const size = Number(url.searchParams.get('size'));
    const seed = Number(url.searchParams.get('seed') ?? 1);
    try {
      const threshold = url.searchParams.get('threshold');
      const manager = await managerFor(env, threshold === null ? undefined : Number(threshold));
      const queue = claimCheckQueue(env.JOBS, manager);
      switch (url.pathname) {
        case '/send':
          await queue.send(patternBytes(size, seed));
          break;
        case '/send-plain':
          await env.JOBS.send(patternBytes(size, seed), { contentType: 'bytes' });
          break;
        case '/send-json':
          await queue.send({ scenario: url.searchParams.get('scenario'), filler: 'x'.repeat(size) });
          break;
        case '/send-batch': {
          const count = Number(url.searchParams.get('count'));
          await queue.sendBatch(Array.from({ length: count }, (_, index) => ({ body: patternBytes(size, seed + index) })));
          break;
        }
        case '/send-json-mixed': {
          // Bodies over and under the threshold, some of them multi-byte, sent all at once and then one by one.
          const bodies = mixedBodies(Number(url.searchParams.get('count')), size);
          await Promise.all(bodies.slice(0, bodies.length / 2).map((body) => queue.send(body)));
          for (const body of bodies.slice(bodies.length / 2)) await queue.send(body);
          break;
        }
        case '/send-missing': {
          // A message whose blob is gone before it is delivered: capture what the wrapper sends, delete the blob, send that.
          const captured: unknown[] = [];
          const capturing: QueueLike = { send: async (body) => captured.push(body), sendBatch: async () => undefined };
          await claimCheckQueue(capturing, manager).send({ scenario: 'missing', filler: 'x'.repeat(size) });
          const carried = captured[0] as { reference: unknown };
          await manager.delete(new TextEncoder().encode(JSON.stringify(carried.reference)));
          await env.JOBS.send(carried, { contentType: 'json' });
          break;
        }
        default:
          return new Response('no such route', { status: 404 });
      }
      return Response.json({ ok: true });
    } catch (error) {
      return Response.json({ ok: false, error: String(error), code: (error as { code?: string }).code });
    }
  },
};
