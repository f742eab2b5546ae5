import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { createStore, optionsTable, resolveStoreOptions } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { R2Store, S3Objects, storeProvider } from '../src/index.js';
import { codeOf } from './support/error-code.js';
import type { Fault } from './support/fault-proxy.js';
import { faultProxySuite } from './support/fault-proxy-suite.js';
import { freshPrefix, localTarget, purgePrefix } from './support/s3-target.js';

const target = localTarget();
const connection = {
  endpoint: target.endpoint,
  accessKeyId: target.accessKeyId,
  secretAccessKey: target.secretAccessKey,
  region: target.region,
  forcePathStyle: true,
};

describe('S3Objects, the S3 layer for integrations', () => {
  it('writes, reads within a bound and deletes any key, naming the integration in its errors', async () => {
    const objects = new S3Objects({ ...connection, backend: 'acme-queue' });
    const prefix = freshPrefix('s3-objects');
    try {
      const key = `${prefix}payload.json`;
      const body = new TextEncoder().encode('{"lines":3}');
      await objects.put(target.bucket, key, body, { contentType: 'application/json', operation: 'Send' });
      expect(await objects.read(target.bucket, key, { maxBytes: 1024, expectedBytes: body.byteLength })).toEqual(body);
      const tooLarge = await objects.read(target.bucket, key, { maxBytes: 4, operation: 'Receive' }).catch((error: unknown) => error);
      expect(tooLarge).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', backend: 'acme-queue', operation: 'Receive', key });
      await objects.delete(target.bucket, key);
      await objects.delete(target.bucket, key);
      expect(await codeOf(() => objects.read(target.bucket, key, { maxBytes: 1024 }))).toBe('NOT_FOUND');
    } finally {
      await purgePrefix(objects.client, target.bucket, prefix);
      objects.destroy();
    }
  });

  it('checks its options as R2Store does, naming every problem at once', () => {
    expect(() => new S3Objects({ endpoint: 'ftp://x', waitTimeoutMs: -1, backend: 'acme-queue' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: 'acme-queue config failed: missing accessKeyId, secretAccessKey; waitTimeoutMs must be a positive number; endpoint must be an http or https URL' }) as Error,
    );
  });
});

describe(`S3Objects between faults and ${target.server}`, () => {
  const suite = faultProxySuite(target, 's3-objects-faults');
  const faults: [string, Fault][] = [
    ['never answers', { kind: 'blackhole' }],
    ['trickles its response headers a byte at a time', { kind: 'trickle-response', everyMs: 50 }],
  ];

  it.each(faults)('a read from a server that %s fails with TIMEOUT at its waitTimeoutMs, long before the silence bound', async (_, fault) => {
    const key = `${suite.prefix}payload.json`;
    await suite.admin.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: new Uint8Array(1024) }));
    // A 60 s silence bound and three attempts: only the 500 ms deadline can end this read in the test's time.
    const objects = new S3Objects({ ...connection, endpoint: suite.proxy.endpoint, requestTimeoutMs: 60_000, maxAttempts: 3, waitTimeoutMs: 500, backend: 'acme-queue' });
    suite.proxy.fault = fault;
    try {
      const error = await objects.read(target.bucket, key, { maxBytes: 4096, operation: 'Receive' }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'TIMEOUT', backend: 'acme-queue', operation: 'Receive' });
      expect(String(error)).toContain('no answer within waitTimeoutMs (500 ms');
      // One attempt, cut by the deadline: no silence bound fired, so none was retried.
      expect(suite.proxy.connections).toBe(1);
    } finally {
      objects.destroy();
    }
  });
});

describe('the R2 store provider', () => {
  it('reaches every text option from the environment, the origin’s variables and the new ones', async () => {
    const env = {
      R2_BUCKET: target.bucket,
      R2_ENDPOINT: target.endpoint,
      R2_ACCESS_KEY_ID: target.accessKeyId,
      R2_SECRET_ACCESS_KEY: target.secretAccessKey,
      R2_REGION: target.region,
      R2_FORCE_PATH_STYLE: 'true',
      R2_KEY_PREFIX: freshPrefix('provider'),
      R2_MAX_ATTEMPTS: '2',
      R2_REQUEST_TIMEOUT_MS: '20000',
      R2_CONNECTION_TIMEOUT_MS: '2000',
      R2_WAIT_TIMEOUT_MS: '25000',
      R2_HEALTH_TIMEOUT_MS: '4000',
      R2_PART_SIZE_BYTES: String(5 * 1024 * 1024),
      R2_PARTS_IN_FLIGHT: '3',
      R2_CLOSE_TIMEOUT_MS: '100',
    };
    expect(Object.keys(resolveStoreOptions(storeProvider, { env }))).toHaveLength(Object.keys(env).length);
    const store = await createStore(storeProvider, { env });
    expect(store).toBeInstanceOf(R2Store);
    await store.health();
    const key = await store.put(new Uint8Array([1, 2, 3]));
    expect(await store.get(key)).toEqual(new Uint8Array([1, 2, 3]));
    await store.delete(key);
    await store.close();
  });

  it('refuses a malformed variable naming it, and never echoes the secret', async () => {
    const error = await createStore(storeProvider, { env: { R2_PARTS_IN_FLIGHT: 'many', R2_SECRET_ACCESS_KEY: 'hunter2' } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: 'r2 config failed: R2_PARTS_IN_FLIGHT="many" is not a whole number' });
    const missing = await createStore(storeProvider, { env: { R2_SECRET_ACCESS_KEY: 'hunter2' } }).catch((caught: unknown) => caught);
    expect((missing as Error).message).toBe('r2 config failed: missing bucket (R2_BUCKET), endpoint (R2_ENDPOINT), accessKeyId (R2_ACCESS_KEY_ID)');
  });

  it('is what the README’s Options table shows', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(optionsTable(storeProvider.options));
  });
});
