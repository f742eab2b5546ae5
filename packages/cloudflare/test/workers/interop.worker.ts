// Offloads and retrieves through the manager on R2BindingStore, for the R2Store interop test.
import { createManager } from '@claimcheck/manager';
import { R2BindingStore, type R2BucketLike } from '../../src/index.js';
import { patternBytes, sha256Hex } from './worker-manager.js';

interface Env {
  BUCKET: R2BucketLike;
}

/** The prefix both stores use in the interop test. */
const keyPrefix = 'interop/';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const manager = await createManager({ store: new R2BindingStore({ bucket: env.BUCKET, keyPrefix }) });
    if (url.pathname === '/offload') {
      const keyPrefix = url.searchParams.get('keyPrefix');
      const payload = patternBytes(Number(url.searchParams.get('size')), Number(url.searchParams.get('seed')));
      const reference = await manager.offload(payload, keyPrefix === null ? {} : { keyPrefix });
      return new Response(reference);
    }
    try {
      const payload = await manager.retrieve(new Uint8Array(await request.arrayBuffer()));
      return Response.json({ ok: true, size: payload.byteLength, sha256: await sha256Hex(payload) });
    } catch (error) {
      return Response.json({ ok: false, code: (error as { code?: string }).code, error: String(error) });
    }
  },
};
