import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatibilityDate, eventually } from './support/miniflare.js';
import { bundleReadmeWorker, readmeBlock } from './support/readme-blocks.js';

// The README's wrangler.toml and Worker, run as a user would deploy them: the Worker block is bundled
// as it is written (with '@claimcheck/cloudflare' pointing at this package's source), and workerd gets
// the bindings the wrangler.toml block declares.
const toml = readmeBlock('starts workerd with these bindings', 'toml');
const workerSource = readmeBlock('bundles this block and runs it in workerd', 'ts');
const setting = (name: string): string => {
  const value = new RegExp(`^${name} = "([^"]+)"$`, 'm').exec(toml)?.[1];
  if (value === undefined) throw new Error(`wrangler.toml block has no ${name}`);
  return value;
};

let miniflare: Miniflare | undefined;
beforeAll(async () => {
  const code = await bundleReadmeWorker(workerSource);
  const queue = setting('queue');
  miniflare = new Miniflare({
    // An explicit module list, as wrangler uploads one: Miniflare's module scanner (modules: true) refuses the
    // manager's non-literal import() of a store package by name, which a Worker handed a store never calls.
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: code }],
    compatibilityDate: setting('compatibility_date'),
    compatibilityFlags: ['nodejs_compat'],
    r2Buckets: { [setting('binding')]: setting('bucket_name') },
    queueProducers: { REPORTS: queue },
    queueConsumers: { [queue]: { maxRetries: Number(/^max_retries = (\d+)$/m.exec(toml)?.[1]), deadLetterQueue: setting('dead_letter_queue'), maxBatchTimeout: 1 } },
  });
  await miniflare.ready;
});
afterAll(() => miniflare?.dispose());

describe('the README example', () => {
  it('declares the compatibility date and flag the tests run with', () => {
    expect(setting('compatibility_date')).toBe(compatibilityDate);
    expect(toml).toContain('compatibility_flags = ["nodejs_compat"]');
  });

  // 2.9 MB is far over the 128 KB a message may carry: the summary arrives only if the body went through R2.
  it('carries a 100 000-row report (about 2.9 MB) from the producer to the consumer, then releases its blob', async () => {
    const response = await (miniflare as Miniflare).dispatchFetch('http://reports/?rows=100000');
    const { queued } = (await response.json()) as { queued: string };
    const bucket = await (miniflare as Miniflare).getR2Bucket('BUCKET');
    const summary = await eventually('the summary', async () => (await bucket.get(`summaries/${queued}.json`))?.text());
    expect(JSON.parse(summary)).toEqual({ rows: 100_000, failed: 0 });
    await eventually('the blob to be released', async () => ((await bucket.list({ prefix: 'claimcheck/' })).objects.length === 0 ? true : undefined));
  });
});
