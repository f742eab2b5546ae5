import { Readable } from 'node:stream';
import { generateKey, isClaimCheckError } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { R2Store } from '../src/index.js';
import { fakeClient } from './support/fake-client.js';
import { codeOf } from './support/error-code.js';

// An error shaped as the SDK shapes them: a name, HTTP metadata, sometimes a Node error code.
function sdkError(name: string, status?: number, code?: string): Error {
  return Object.assign(new Error(`${name} happened`), { name, code, $metadata: { httpStatusCode: status, attempts: 1 } });
}

function storeFailingWith(error: Error): R2Store {
  return new R2Store({ bucket: 'b', client: fakeClient(() => Promise.reject(error)).client });
}

describe('how S3 failures map to codes (errors a server will not produce on demand)', () => {
  const key = generateKey();

  it.each([
    ['NoSuchKey', 404, undefined, 'NOT_FOUND'],
    ['NotFound', 404, undefined, 'NOT_FOUND'],
    ['NoSuchBucket', 404, undefined, 'INVALID_CONFIG'],
    ['AccessDenied', 403, undefined, 'UNAUTHORIZED'],
    ['InternalError', 500, undefined, 'UNAVAILABLE'],
    ['SlowDown', 503, undefined, 'UNAVAILABLE'],
    ['TimeoutError', undefined, 'ECONNRESET', 'UNAVAILABLE'],
    ['TimeoutError', undefined, 'ETIMEDOUT', 'TIMEOUT'],
    ['TimeoutError', undefined, undefined, 'TIMEOUT'],
    ['Error', undefined, 'ECONNREFUSED', 'UNAVAILABLE'],
    ['InvalidRange', 416, undefined, 'STORE_FAILURE'],
    ['UnknownError', 404, undefined, 'STORE_FAILURE'],
    ['PreconditionFailed', 412, undefined, 'STORE_FAILURE'],
  ])('get failing with %s (HTTP %s, %s) is %s', async (name, status, code, expected) => {
    expect(await codeOf(() => storeFailingWith(sdkError(name, status, code)).get(key))).toBe(expected);
  });

  it('NOT_FOUND names the key, for get and getStream', async () => {
    for (const read of [(store: R2Store) => store.get(key), (store: R2Store) => store.getStream(key)]) {
      const error = await read(storeFailingWith(sdkError('NoSuchKey', 404))).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`key ${key} not found`);
    }
  });

  it('a 404 is NOT_FOUND only for reads of a key: for put and listKeys it is not', async () => {
    const store = storeFailingWith(sdkError('NotFound', 404));
    expect(await codeOf(() => store.put(new Uint8Array([1])))).toBe('STORE_FAILURE');
    expect(await codeOf(async () => {
      for await (const listed of store.listKeys()) expect(listed).toBeUndefined();
    })).toBe('STORE_FAILURE');
  });

  it('a bare 404 from HeadBucket means the bucket is missing: INVALID_CONFIG', async () => {
    expect(await codeOf(() => storeFailingWith(sdkError('NotFound', 404)).health())).toBe('INVALID_CONFIG');
  });

  it('a server that answers delete with NoSuchKey still counts as a successful delete', async () => {
    expect(await codeOf(() => storeFailingWith(sdkError('NoSuchKey', 404)).delete(key))).toBe('resolved');
    expect(await codeOf(() => storeFailingWith(sdkError('AccessDenied', 403)).delete(key))).toBe('UNAUTHORIZED');
  });

  it('every mapped error keeps the SDK error as its cause and names the operation', async () => {
    const original = sdkError('SlowDown', 503);
    const error = await storeFailingWith(original).get(key).catch((caught: unknown) => caught);
    expect((error as Error).cause).toBe(original);
    expect((error as Error).message).toMatch(/^r2 get failed: SlowDown: SlowDown happened \(HTTP 503\)/);
  });
});

describe('bodies that disagree with their Content-Length (a clean short end needs a fake)', () => {
  const key = generateKey();
  const storeAnswering = (bytes: number, contentLength: number) =>
    new R2Store({
      bucket: 'b',
      client: fakeClient(() => ({ Body: Readable.from([Buffer.alloc(bytes, 1)]), ContentLength: contentLength })).client,
    });

  it('get of a body that ends early rejects with STORE_FAILURE instead of returning short data', async () => {
    const error = await storeAnswering(100, 1000).get(key).catch((caught: unknown) => caught);
    expect(isClaimCheckError(error) && error.code).toBe('STORE_FAILURE');
    expect((error as Error).message).toContain('ended after 100 of 1000 bytes');
  });

  it('get of a body longer than its Content-Length rejects with STORE_FAILURE', async () => {
    expect(await codeOf(() => storeAnswering(1001, 1000).get(key))).toBe('STORE_FAILURE');
  });

  it('getStream of a body that ends early yields what came, then rejects', async () => {
    const chunks: Uint8Array[] = [];
    const code = await codeOf(async () => {
      for await (const chunk of await storeAnswering(100, 1000).getStream(key)) chunks.push(chunk);
    });
    expect(code).toBe('STORE_FAILURE');
    expect(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(100);
  });

  it('a body of exactly its Content-Length is returned whole', async () => {
    expect((await storeAnswering(1000, 1000).get(key)).byteLength).toBe(1000);
  });
});
