import { parseReference } from '@claimcheck/manager';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatibilityDate } from './support/miniflare.js';
import { bundleReadmeWorker, readmeBlock } from './support/readme-blocks.js';

// The README's key-prefix Worker, bundled as it is written and run in workerd on an R2 binding.
const workerSource = readmeBlock('bundles this key-prefix block and runs it in workerd', 'ts');

let miniflare: Miniflare | undefined;
beforeAll(async () => {
  miniflare = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: await bundleReadmeWorker(workerSource) }],
    compatibilityDate,
    compatibilityFlags: ['nodejs_compat'],
    r2Buckets: { BUCKET: 'claimcheck-blobs' },
  });
  await miniflare.ready;
});
afterAll(() => miniflare?.dispose());

describe('the README key-prefix example', () => {
  it('files a payload under claimcheck/ns/<namespace>/, where a lifecycle rule on that prefix reaches it', async () => {
    const body = new Uint8Array(200_000).fill(7);
    const response = await (miniflare as Miniflare).dispatchFetch('http://blobs/?namespace=billing', { method: 'POST', body });
    expect(response.status).toBe(200);
    const { key } = parseReference(new Uint8Array(await response.arrayBuffer()));
    expect(key).toMatch(/^ns\/billing\/[0-9a-f-]{36}$/);
    const bucket = await (miniflare as Miniflare).getR2Bucket('BUCKET');
    const listed = await bucket.list({ prefix: 'claimcheck/ns/billing/' });
    expect(listed.objects.map(({ key: name }) => name)).toEqual([`claimcheck/${key}`]);
    expect((await bucket.list({ prefix: 'claimcheck/ns/default/' })).objects).toEqual([]);
  });

  it('answers 400 with INVALID_KEY for a namespace that is no key prefix, and stores nothing', async () => {
    const bucket = await (miniflare as Miniflare).getR2Bucket('BUCKET');
    const before = (await bucket.list({ prefix: 'claimcheck/' })).objects.length;
    for (const namespace of ['a b', '..', 'tenänt']) {
      const response = await (miniflare as Miniflare).dispatchFetch(`http://blobs/?namespace=${encodeURIComponent(namespace)}`, { method: 'POST', body: new Uint8Array(10) });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/INVALID_KEY|invalid key prefix/);
    }
    expect((await bucket.list({ prefix: 'claimcheck/' })).objects).toHaveLength(before);
  });
});
