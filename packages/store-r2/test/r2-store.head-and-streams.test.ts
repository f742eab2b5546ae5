import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { generateKey } from '@claimcheck/core';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, describe, expect, it } from 'vitest';
import { R2Store } from '../src/index.js';
import { codeOf } from './support/error-code.js';
import { freshPrefix, localTarget, purgePrefix, rawClient, targetOptions } from './support/s3-target.js';

// Needs a server on this machine: the loopback target only (s3rver, or RGW in CI).
const target = localTarget();
const MiB = 1024 * 1024;

// A client with a single connection: a response body left half-read holds it, and the next request
// then waits for ever, so a leaked body shows as a test that never finishes.
function singleConnectionClient(): S3Client {
  return new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 1 }) }),
  });
}

describe(`head and early-closed streams on ${target.server}`, () => {
  const admin = rawClient(target);
  const prefix = freshPrefix('head-and-streams');
  afterAll(async () => {
    await purgePrefix(admin, target.bucket, prefix);
    admin.destroy();
  });

  it('head gives the size and modification time of a stored blob, without its body', async () => {
    const store = new R2Store(targetOptions(target, { keyPrefix: prefix }));
    const before = Date.now();
    const key = await store.put(new Uint8Array(123_457).fill(3));
    const info = await store.head(key);
    expect(info).toMatchObject({ key, size: 123_457 });
    // Servers keep whole seconds.
    expect(Math.abs(info.lastModified.getTime() - before)).toBeLessThan(60_000);
    await store.close();
  });

  it('head of a missing key is NOT_FOUND, and of any key in a missing bucket INVALID_CONFIG', async () => {
    const store = new R2Store(targetOptions(target, { keyPrefix: prefix }));
    expect(await codeOf(() => store.head(generateKey()))).toBe('NOT_FOUND');
    const missingBucket = new R2Store(targetOptions(target, { bucket: `claimcheck-missing-${randomUUID()}` }));
    expect(await codeOf(() => missingBucket.head(generateKey()))).toBe('INVALID_CONFIG');
    await Promise.all([store.close(), missingBucket.close()]);
  });

  for (const [when, read] of [
    ['before its first read', () => Promise.resolve()],
    ['midway', (stream: AsyncIterator<Uint8Array>) => stream.next()],
  ] as const) {
    it(`a getStream closed ${when} gives its connection back at once: the next request on a one-connection client goes through`, async () => {
      const client = singleConnectionClient();
      const store = new R2Store({ bucket: target.bucket, client, keyPrefix: prefix });
      const payload = new Uint8Array(8 * MiB).map((_, index) => index % 253);
      const key = await store.put(payload);
      const stream = (await store.getStream(key))[Symbol.asyncIterator]();
      await read(stream);
      await stream.return?.();
      expect(Buffer.from(await store.get(key)).equals(payload)).toBe(true);
      await store.close();
      client.destroy();
    });
  }
});
