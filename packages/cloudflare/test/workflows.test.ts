import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startWorkers } from './support/miniflare.js';
import { patternBytes, sha256Hex } from './workers/worker-manager.js';

interface Status {
  ok: boolean;
  status?: string;
  error?: unknown;
  output?: Record<string, unknown>;
  __LOCAL_DEV_STEP_OUTPUTS?: unknown[];
}

// Miniflare's local Workflows engine, in workerd, with the workflow classes in the same Worker.
let miniflare: Miniflare | undefined;
beforeAll(async () => {
  miniflare = await startWorkers([
    {
      name: 'workflows',
      entry: 'workflow.worker',
      r2Buckets: ['BUCKET'],
      workflows: {
        LARGE_STEPS: { name: 'large-steps', className: 'LargeStepsWorkflow' },
        PLAIN_STEPS: { name: 'plain-steps', className: 'PlainStepsWorkflow' },
      },
    },
  ]);
});
afterAll(() => miniflare?.dispose());

async function call(route: string): Promise<Status> {
  const response = await (miniflare as Miniflare).dispatchFetch(`http://workflows${route}`);
  return (await response.json()) as Status;
}

async function settled(id: string, workflow: string): Promise<Status> {
  return eventually(`workflow ${id} to finish`, async () => {
    const status = await call(`/status?id=${id}&workflow=${workflow}`);
    return ['complete', 'errored', 'terminated'].includes(status.status ?? '') ? status : undefined;
  });
}

describe('Workflows through Miniflare', () => {
  it('a step that returns 10 MB without claimcheck fails in the local engine: the limit the helper lifts is real here', async () => {
    expect(await call('/create-plain?id=plain-1')).toMatchObject({ ok: true });
    const status = await settled('plain-1', 'plain');
    expect(status.status).toBe('errored');
    expect(JSON.stringify(status.error)).toMatch(/1 ?MiB|too large|size|limit/i);
  });

  it('a step returns 10 MB through claimCheckWorkflow and the next step reads it; params and an event over 1 MiB arrive too', async () => {
    expect(await call('/create-large?id=large-1')).toMatchObject({ ok: true });
    // The local engine reports a workflow that waits for an event as running; its two step results are its progress.
    const progress = await eventually('both steps to finish', async () => {
      const status = await call('/status?id=large-1&workflow=large');
      return (status.__LOCAL_DEV_STEP_OUTPUTS?.length ?? 0) >= 2 || status.status === 'errored' ? status : undefined;
    });
    expect(progress.status).toBe('running');
    // The durable step result is the small reference, not the 10 MB.
    expect(JSON.stringify(progress.__LOCAL_DEV_STEP_OUTPUTS?.[0]).length).toBeLessThan(1024);
    expect(await call('/send-large-event?id=large-1')).toMatchObject({ ok: true });
    const status = await settled('large-1', 'large');
    expect(status.error ?? status.status).toBe('complete');
    expect(status.output).toEqual({
      digest: await sha256Hex(patternBytes(10_000_000, 11)),
      paramsDigest: await sha256Hex(patternBytes(600_000, 12)),
      eventDigest: await sha256Hex(patternBytes(2_000_000, 13)),
      eventSize: 2_000_000,
    });
  });
});
