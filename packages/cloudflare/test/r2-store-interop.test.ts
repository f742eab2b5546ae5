import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createManager, parseReference, type ClaimCheckManager } from '@claimcheck/manager';
import { R2Store } from '@claimcheck/store-r2';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorkers } from './support/miniflare.js';
import { patternBytes, sha256Hex } from './workers/worker-manager.js';

// Miniflare has no S3 endpoint, so the stored bytes are copied by hand, under the same object name,
// between its bucket and an S3 server (s3rver, or Ceph RGW in CI); each side then reads the other's
// reference through its own store.
const target = inject('s3Target');
const keyPrefix = 'interop/';
let miniflare: Miniflare | undefined;
let s3: S3Client;
let nodeManager: ClaimCheckManager;
beforeAll(async () => {
  miniflare = await startWorkers([{ name: 'interop', entry: 'interop.worker', r2Buckets: ['BUCKET'] }]);
  const { endpoint, region, accessKeyId, secretAccessKey, bucket } = target;
  s3 = new S3Client({ endpoint, region, credentials: { accessKeyId, secretAccessKey }, forcePathStyle: true });
  nodeManager = await createManager({ store: new R2Store({ client: s3, bucket, keyPrefix }) });
});
afterAll(async () => {
  await nodeManager.close();
  s3.destroy();
  await miniflare?.dispose();
});

async function workerBucket() {
  return (miniflare as Miniflare).getR2Bucket('BUCKET');
}

// Where the Temporal driver files a run's payloads, with a workflow id `order/7` escaped as %2F.
const runPrefix = 'ns/default/wf/order%2F7/run/r~1';
// PutOptions.keyPrefix takes no explicit undefined (exactOptionalPropertyTypes): leave it out instead.
const offloadOptions = (keyPrefixOption: string | undefined) => (keyPrefixOption === undefined ? {} : { keyPrefix: keyPrefixOption });

describe(`references between R2BindingStore in workerd and R2Store on ${target.server}`, () => {
  for (const keyPrefixOption of [undefined, runPrefix]) {
    const under = keyPrefixOption === undefined ? 'an unprefixed key' : `a key under ${keyPrefixOption}`;
    const query = keyPrefixOption === undefined ? '' : `&keyPrefix=${encodeURIComponent(keyPrefixOption)}`;

    it(`a reference to ${under}, written in a Worker through the binding, is read in Node through the S3 API`, async () => {
      const response = await (miniflare as Miniflare).dispatchFetch(`http://interop/offload?size=3000000&seed=21${query}`);
      const reference = new Uint8Array(await response.arrayBuffer());
      const { storage, key } = parseReference(reference);
      expect(storage).toBe('r2');
      if (keyPrefixOption !== undefined) expect(key).toMatch(new RegExp(`^${keyPrefixOption}/[0-9a-f-]{36}$`));
      const listed = await (await workerBucket()).list({ prefix: `${keyPrefix}${keyPrefixOption ?? ''}` });
      expect(listed.objects.map(({ key: name }) => name)).toContain(`${keyPrefix}${key}`);
      const stored = await (await workerBucket()).get(`${keyPrefix}${key}`);
      expect(stored).not.toBeNull();
      const bytes = new Uint8Array(await (stored as NonNullable<typeof stored>).arrayBuffer());
      await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: `${keyPrefix}${key}`, Body: bytes }));
      const payload = await nodeManager.retrieve(reference);
      expect(await sha256Hex(payload)).toBe(await sha256Hex(patternBytes(3_000_000, 21)));
    });

    it(`a reference to ${under}, written in Node through the S3 API, is read in a Worker through the binding`, async () => {
      const original = patternBytes(3_000_000, 22);
      const reference = await nodeManager.offload(original, offloadOptions(keyPrefixOption));
      const { key } = parseReference(reference);
      if (keyPrefixOption !== undefined) expect(key.startsWith(`${keyPrefixOption}/`)).toBe(true);
      const object = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: `${keyPrefix}${key}` }));
      const bytes = await (object.Body as NonNullable<typeof object.Body>).transformToByteArray();
      await (await workerBucket()).put(`${keyPrefix}${key}`, bytes);
      const response = await (miniflare as Miniflare).dispatchFetch('http://interop/retrieve', { method: 'POST', body: reference });
      expect(await response.json()).toEqual({ ok: true, size: 3_000_000, sha256: await sha256Hex(original) });
    });
  }

  it('a Worker given a reference whose blob was never copied gets NOT_FOUND, prefixed or not', async () => {
    for (const keyPrefixOption of [undefined, runPrefix]) {
      const reference = await nodeManager.offload(patternBytes(100_000, 23), offloadOptions(keyPrefixOption));
      const response = await (miniflare as Miniflare).dispatchFetch('http://interop/retrieve', { method: 'POST', body: reference });
      expect(await response.json()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    }
  });
});
