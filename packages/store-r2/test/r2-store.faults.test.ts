import { createServer } from 'node:net';
import { isClaimCheckError } from '@claimcheck/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { R2Store, type R2StoreOptions } from '../src/index.js';
import { FaultProxy } from './support/fault-proxy.js';
import { freshPrefix, localTarget, purgePrefix, rawClient, targetOptions } from './support/s3-target.js';

// Faults need a server on this machine: they run against the loopback target only (s3rver or RGW).
const target = localTarget();
const MiB = 1024 * 1024;

async function failureOf(action: () => Promise<unknown>): Promise<{ code: unknown; error: unknown }> {
  try {
    await action();
  } catch (error) {
    return { code: isClaimCheckError(error) ? error.code : 'not a ClaimCheckError', error };
  }
  return { code: 'resolved', error: undefined };
}

describe(`faults between the store and ${target.server}`, () => {
  const admin = rawClient(target);
  const prefix = freshPrefix('faults');
  let proxy: FaultProxy;
  let stores: R2Store[] = [];
  // Each store has its own client, so its first request opens a new connection through the proxy.
  const proxiedStore = (options: R2StoreOptions = {}) => {
    const store = new R2Store(targetOptions(target, { endpoint: proxy.endpoint, keyPrefix: prefix, ...options }));
    stores.push(store);
    return store;
  };
  const directStore = () => proxiedStore({ endpoint: target.endpoint });

  beforeAll(async () => {
    proxy = await FaultProxy.start(target.endpoint);
  });
  beforeEach(() => {
    proxy.fault = { kind: 'pass' };
    proxy.connections = 0;
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    stores = [];
  });
  afterAll(async () => {
    await proxy.close();
    await purgePrefix(admin, target.bucket, prefix);
    admin.destroy();
  });

  it('a connection reset once is retried and the put succeeds', async () => {
    const store = proxiedStore();
    proxy.fault = { kind: 'reset', times: 1 };
    const key = await store.put(new TextEncoder().encode('survives a reset'));
    expect(proxy.connections).toBe(2);
    expect(new TextDecoder().decode(await directStore().get(key))).toBe('survives a reset');
  });

  it('a connection reset every time fails with UNAVAILABLE after exactly maxAttempts attempts', async () => {
    const store = proxiedStore({ maxAttempts: 4 });
    proxy.fault = { kind: 'reset', times: Infinity };
    const { code } = await failureOf(() => store.health());
    expect(code).toBe('UNAVAILABLE');
    expect(proxy.connections).toBe(4);
  });

  it('a blackholed connection fails with TIMEOUT after the configured attempts, each bounded by requestTimeoutMs', async () => {
    const store = proxiedStore({ requestTimeoutMs: 250, maxAttempts: 2 });
    proxy.fault = { kind: 'blackhole' };
    const { code } = await failureOf(() => store.get('5f0c8b1e-3a2d-4c6b-9e8f-0a1b2c3d4e5f'));
    expect(code).toBe('TIMEOUT');
    expect(proxy.connections).toBe(2);
  });

  it('an abort while the server is silent rejects with ABORTED, without waiting for the timeout', async () => {
    const store = proxiedStore({ requestTimeoutMs: 60_000 });
    proxy.fault = { kind: 'blackhole' };
    const controller = new AbortController();
    const pending = failureOf(() => store.health({ signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect((await pending).code).toBe('ABORTED');
  });

  it('a get whose response is cut off mid-body rejects, never returning a short payload', async () => {
    const key = await directStore().put(new Uint8Array(MiB).fill(7));
    const store = proxiedStore({ maxAttempts: 1 });
    proxy.fault = { kind: 'cut', afterBytes: 256 * 1024 };
    const { code, error } = await failureOf(() => store.get(key));
    expect(code).toBe('UNAVAILABLE');
    expect((error as Error).message).toMatch(/^r2 get failed: /);
  });

  it('a getStream whose response is cut off mid-body ends in an error after the bytes that did arrive', async () => {
    const key = await directStore().put(new Uint8Array(MiB).fill(7));
    const store = proxiedStore();
    proxy.fault = { kind: 'cut', afterBytes: 256 * 1024 };
    let received = 0;
    const { code } = await failureOf(async () => {
      for await (const chunk of await store.getStream(key)) received += chunk.byteLength;
    });
    expect(code).toBe('UNAVAILABLE');
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(MiB);
  });

  it('a response body that stops flowing mid-way fails with TIMEOUT after requestTimeoutMs of silence', async () => {
    const key = await directStore().put(new Uint8Array(MiB).fill(7));
    const store = proxiedStore({ requestTimeoutMs: 300 });
    proxy.fault = { kind: 'stall', afterBytes: 256 * 1024 };
    expect((await failureOf(() => store.get(key))).code).toBe('TIMEOUT');
    let received = 0;
    const { code } = await failureOf(async () => {
      for await (const chunk of await store.getStream(key)) received += chunk.byteLength;
    });
    expect(code).toBe('TIMEOUT');
    expect(received).toBeLessThan(MiB);
  });

  it('an endpoint where nothing listens is UNAVAILABLE', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0); });
      });
    });
    const store = proxiedStore({ endpoint: `http://127.0.0.1:${closedPort}`, maxAttempts: 2 });
    expect((await failureOf(() => store.health())).code).toBe('UNAVAILABLE');
    expect((await failureOf(() => store.put(new Uint8Array([1])))).code).toBe('UNAVAILABLE');
  });
});
