import { objectStoreConformance } from '@claimcheck/core/conformance';
import type { Miniflare } from 'miniflare';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorkers } from './support/miniflare.js';

// The suite runs inside workerd (test/workers/conformance.worker.ts). Here the same suite is only
// walked for its case names: each becomes a vitest test that asks the Worker to run that case and
// fails with the Worker's error.
const miniflare: Miniflare = await startWorkers([{ name: 'conformance', entry: 'conformance.worker', r2Buckets: ['BUCKET'] }]);
afterAll(() => miniflare.dispose());

// Vitest may run a group's body after its parent's has returned, so each body is given its own path.
let groups: string[] = [];
const within = (path: string[], body: () => void) => () => {
  const outer = groups;
  groups = path;
  try {
    body();
  } finally {
    groups = outer;
  }
};
objectStoreConformance({
  describe: (name, body) => describe(name, within([...groups, name], body)),
  it: (name, _bodyRunsInTheWorker, timeoutMs) => {
    const path = [...groups, name].join(' › ');
    it(name, async () => {
      const response = await miniflare.dispatchFetch('http://conformance/', { method: 'POST', body: path });
      const result = (await response.json()) as { ok: boolean; error?: string };
      expect(result.error ?? 'passed').toBe('passed');
      expect(result.ok).toBe(true);
    }, timeoutMs);
  },
  name: 'r2-binding',
  create: () => {
    throw new Error('the suite runs in the Worker');
  },
});
