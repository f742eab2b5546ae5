// Runs the ObjectStore conformance suite on R2BindingStore inside workerd, one case per request.
import { objectStoreConformance } from '@claimcheck/core/conformance';
import { R2BindingStore, type R2BucketLike } from '../../src/index.js';
import { collectCases, runCase } from './in-worker-suite.js';

interface Env {
  BUCKET: R2BucketLike;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const cases = collectCases((describe, it) => {
      objectStoreConformance({
        describe,
        it,
        name: 'r2-binding',
        // Every store gets its own prefix in the one bucket, so no two share a blob.
        create: () => new R2BindingStore({ bucket: env.BUCKET, keyPrefix: `case-${crypto.randomUUID()}/` }),
      });
    });
    return runCase(cases, request);
  },
};
