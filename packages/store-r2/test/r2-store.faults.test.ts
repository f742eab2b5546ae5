import { createServer } from 'node:net';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { type ClaimCheckWarning, isClaimCheckError } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { R2Store, type R2StoreOptions } from '../src/index.js';
import { faultProxySuite } from './support/fault-proxy-suite.js';
import { localTarget, objectNames, targetOptions } from './support/s3-target.js';

// Faults need a server on this machine: they run against the loopback target only (s3rver or RGW).
const target = localTarget();
const MiB = 1024 * 1024;
const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** One chunk, then nothing ever again: a source stalled for good. */
async function* stalledAfterOneChunk(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(MiB);
  await new Promise(() => undefined);
}

async function* chunksFrom(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.byteLength; offset += size) yield data.subarray(offset, offset + size);
}

async function* chunksOf(size: number, count: number): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < count; index++) yield new Uint8Array(size).fill(index);
}

/** Runs `action`, aborts after `afterMs`, and tells how the action settled and how long after the abort. */
async function abortAfter(afterMs: number, action: (signal: AbortSignal) => Promise<unknown>): Promise<{ code: unknown; settleMs: number }> {
  const controller = new AbortController();
  let abortedAt = 0;
  const settled = failureOf(() => action(controller.signal)).then(({ code }) => ({ code, settleMs: performance.now() - abortedAt }));
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  abortedAt = performance.now();
  controller.abort();
  return settled;
}

async function failureOf(action: () => Promise<unknown>): Promise<{ code: unknown; error: unknown }> {
  try {
    await action();
  } catch (error) {
    return { code: isClaimCheckError(error) ? error.code : 'not a ClaimCheckError', error };
  }
  return { code: 'resolved', error: undefined };
}

describe(`faults between the store and ${target.server}`, () => {
  const suite = faultProxySuite(target, 'faults');
  const { admin, prefix } = suite;
  // Each store has its own client, so its first request opens a new connection through the suite.proxy.
  const proxiedStore = (options: R2StoreOptions = {}) => {
    // Failed cleanups are expected under these faults; the tests that check warnings collect their own.
    const store = new R2Store(targetOptions(target, { endpoint: suite.proxy.endpoint, keyPrefix: prefix, onWarning: () => undefined, ...options }));
    suite.stores.push(store);
    return store;
  };
  const directStore = () => proxiedStore({ endpoint: target.endpoint });
  // A store under its own prefix inside this suite's, so a test can tell exactly what it left.
  // It collects its warnings, and tells what it left in the bucket.
  const isolatedStore = (label: string, options: R2StoreOptions = {}) => {
    const keyPrefix = `${prefix}${label}/`;
    const warnings: ClaimCheckWarning[] = [];
    const store = proxiedStore({ keyPrefix, onWarning: (warning) => warnings.push(warning), ...options });
    return { store, keyPrefix, warnings, left: () => objectNames(admin, target.bucket, keyPrefix) };
  };

  it('a connection reset once is retried and the put succeeds', async () => {
    const store = proxiedStore();
    suite.proxy.fault = { kind: 'reset', times: 1 };
    const key = await store.put(new TextEncoder().encode('survives a reset'));
    expect(suite.proxy.connections).toBe(2);
    expect(new TextDecoder().decode(await directStore().get(key))).toBe('survives a reset');
  });

  it('a connection reset every time fails with UNAVAILABLE after exactly maxAttempts attempts', async () => {
    const store = proxiedStore({ maxAttempts: 4 });
    suite.proxy.fault = { kind: 'reset', times: Infinity };
    const { code } = await failureOf(() => store.health());
    expect(code).toBe('UNAVAILABLE');
    expect(suite.proxy.connections).toBe(4);
  });

  it('a blackholed connection fails with TIMEOUT after the configured attempts, each bounded by requestTimeoutMs', async () => {
    const store = proxiedStore({ requestTimeoutMs: 250, maxAttempts: 2 });
    suite.proxy.fault = { kind: 'blackhole' };
    const { code } = await failureOf(() => store.get('5f0c8b1e-3a2d-4c6b-9e8f-0a1b2c3d4e5f'));
    expect(code).toBe('TIMEOUT');
    expect(suite.proxy.connections).toBe(2);
  });

  it('an abort while the server is silent rejects with ABORTED, without waiting for the timeout', async () => {
    const store = proxiedStore({ requestTimeoutMs: 60_000 });
    suite.proxy.fault = { kind: 'blackhole' };
    const controller = new AbortController();
    const pending = failureOf(() => store.health({ signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect((await pending).code).toBe('ABORTED');
  });

  it('a get whose response is cut off mid-body rejects, never returning a short payload', async () => {
    const key = await directStore().put(new Uint8Array(MiB).fill(7));
    const store = proxiedStore({ maxAttempts: 1 });
    suite.proxy.fault = { kind: 'cut', afterBytes: 256 * 1024 };
    const { code, error } = await failureOf(() => store.get(key));
    expect(code).toBe('UNAVAILABLE');
    expect((error as Error).message).toMatch(/^r2 get failed: /);
  });

  it('a getStream whose response is cut off mid-body ends in an error after the bytes that did arrive', async () => {
    const key = await directStore().put(new Uint8Array(MiB).fill(7));
    const store = proxiedStore();
    suite.proxy.fault = { kind: 'cut', afterBytes: 256 * 1024 };
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
    suite.proxy.fault = { kind: 'stall', afterBytes: 256 * 1024 };
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

  it('with the default timeouts an attempt at a blackholed endpoint fails with TIMEOUT after 10 s of silence, not 60', async () => {
    const store = proxiedStore({ maxAttempts: 1 });
    suite.proxy.fault = { kind: 'blackhole' };
    const started = performance.now();
    expect((await failureOf(() => store.put(new Uint8Array(1024)))).code).toBe('TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(9_900);
  }, 20_000);

  it.each(['get', 'put', 'putStream', 'delete', 'listKeys'] as const)(
    'a %s at a blackholed endpoint fails with TIMEOUT once waitTimeoutMs of waiting has passed, long before the silence bound',
    async (operation) => {
      const store = proxiedStore({ requestTimeoutMs: 60_000, maxAttempts: 3, waitTimeoutMs: 300, partSizeBytes: 5 * MiB });
      suite.proxy.fault = { kind: 'blackhole' };
      const key = '5f0c8b1e-3a2d-4c6b-9e8f-0a1b2c3d4e5f';
      const run = {
        get: () => store.get(key),
        put: () => store.put(new Uint8Array(1024)),
        putStream: () => store.putStream(chunksOf(MiB, 12)),
        delete: () => store.delete(key),
        listKeys: async () => {
          for await (const listed of store.listKeys()) expect(listed).toBeUndefined();
        },
      }[operation];
      const { code, error } = await failureOf(run);
      expect(code).toBe('TIMEOUT');
      // The deadline cut the wait: a 60 s silence bound cannot have fired, so there was one attempt.
      expect(String(error)).toContain('no answer within waitTimeoutMs (300 ms');
      expect(suite.proxy.connections).toBe(1);
    },
  );

  it('health() at a blackholed endpoint fails with TIMEOUT after its own healthTimeoutMs, not waitTimeoutMs', async () => {
    const store = proxiedStore({ requestTimeoutMs: 60_000, waitTimeoutMs: 60_000, healthTimeoutMs: 300 });
    suite.proxy.fault = { kind: 'blackhole' };
    const { code, error } = await failureOf(() => store.health());
    expect(code).toBe('TIMEOUT');
    expect(String(error)).toContain('no answer within healthTimeoutMs (300 ms');
  });

  it.each(['get', 'health'] as const)(
    'a %s from a server that trickles its response headers a byte at a time fails with TIMEOUT at the deadline, though the socket is never silent',
    async (operation) => {
      const key = await directStore().put(new Uint8Array(1024));
      const store = proxiedStore({ requestTimeoutMs: 60_000, waitTimeoutMs: 2_000, healthTimeoutMs: 2_000 });
      suite.proxy.fault = { kind: 'trickle-response', everyMs: 50 };
      const { code, error } = await failureOf(() => (operation === 'get' ? store.get(key) : store.health()));
      expect(code).toBe('TIMEOUT');
      expect(String(error)).toMatch(/no answer within (waitTimeoutMs|healthTimeoutMs) \(2000 ms/);
      // Bytes of the headers were arriving, so no silence bound could have been what fired.
      expect(suite.proxy.bytesToClient).toBeGreaterThan(0);
      expect(suite.proxy.connections).toBe(1);
    },
  );

  it('with the default options, health() at a blackholed endpoint fails with TIMEOUT at its 5 s deadline', async () => {
    const store = proxiedStore();
    suite.proxy.fault = { kind: 'blackhole' };
    const { code, error } = await failureOf(() => store.health());
    expect(code).toBe('TIMEOUT');
    expect(String(error)).toContain('no answer within healthTimeoutMs (5000 ms');
  }, 30_000);

  it('with the default options, a get at a blackholed endpoint fails with TIMEOUT at its 30 s deadline, retries included', async () => {
    const store = proxiedStore();
    suite.proxy.fault = { kind: 'blackhole' };
    const { code, error } = await failureOf(() => store.get('5f0c8b1e-3a2d-4c6b-9e8f-0a1b2c3d4e5f'));
    expect(code).toBe('TIMEOUT');
    expect(String(error)).toContain('no answer within waitTimeoutMs (30000 ms');
    // The 10 s silence bound cut the first attempts; the deadline cut the last.
    expect(suite.proxy.connections).toBeGreaterThan(1);
  }, 90_000);

  it('a body sent in full to a server that never answers is not sent again on every attempt', async () => {
    // 2 s of silence, not less: a loaded machine can pause the client's own writes for longer than 300 ms.
    const store = proxiedStore({ requestTimeoutMs: 2_000, maxAttempts: 3 });
    suite.proxy.fault = { kind: 'blackhole' };
    expect((await failureOf(() => store.put(new Uint8Array(MiB)))).code).toBe('TIMEOUT');
    expect(suite.proxy.connections).toBe(1);
    expect(suite.proxy.bytesFromClient).toBeGreaterThan(MiB);
    expect(suite.proxy.bytesFromClient).toBeLessThan(2 * MiB);
  });

  it.each(['put', 'putStream'] as const)(
    'a %s that takes longer than requestTimeoutMs and waitTimeoutMs succeeds while it keeps moving (64 KiB every 10 ms)',
    async (operation) => {
      // One part in flight, so that one connection carries everything at the throttle's pace.
      const store = proxiedStore({ requestTimeoutMs: 6_000, waitTimeoutMs: 6_000, maxAttempts: 1, partSizeBytes: 5 * MiB, partsInFlight: 1 });
      // At most 6.4 MiB/s for the first 48 MiB, then full speed. What the kernel's socket buffers hold
      // once a body counts as sent drains at the throttle's pace and counts as waiting: a part of 5 MiB
      // takes 0.8 s there, well within the wait bound even on a loaded machine that slows the throttle
      // down; the fast tail keeps a single 64 MiB PutObject from draining megabytes at that pace.
      suite.proxy.fault = { kind: 'throttle', bytes: 64 * 1024, everyMs: 10, fastAfterBytes: 48 * MiB };
      const data = new Uint8Array(64 * MiB).map((_, index) => index % 251);
      const started = performance.now();
      const key = await (operation === 'put' ? store.put(data) : store.putStream(chunksFrom(data, MiB)));
      // 48 MiB at no more than 6.4 MiB/s take at least 7.5 s: past both 6 s bounds, which only silence and waiting may reach.
      expect(performance.now() - started).toBeGreaterThan(6_000);
      expect(Buffer.from(await directStore().get(key)).equals(data)).toBe(true);
    },
    120_000,
  );

  it.each([
    ['reset', { kind: 'reset', times: Infinity }, 'UNAVAILABLE'],
    ['blackhole', { kind: 'blackhole' }, 'TIMEOUT'],
  ] as const)('a multipart putStream through a %s connection gets the same code as put, never a bare AbortError', async (_, fault, code) => {
    const store = proxiedStore({ requestTimeoutMs: 500, maxAttempts: 2 });
    suite.proxy.fault = fault;
    expect((await failureOf(() => store.put(new Uint8Array(MiB)))).code).toBe(code);
    const { error } = await failureOf(() => store.putStream(chunksOf(MiB, 20)));
    expect(isClaimCheckError(error) && error.code).toBe(code);
    expect(String(error)).not.toMatch(/AbortError/);
  });

  it.each(['put', 'putStream'] as const)('a %s whose response is lost rejects with UNAVAILABLE, and the object it stored is deleted', async (operation) => {
    const { store, warnings, left } = isolatedStore(`lost-${operation}`, { maxAttempts: 1 });
    suite.proxy.fault = { kind: 'lose-response', times: 1 };
    const write = operation === 'put' ? () => store.put(new Uint8Array(1024)) : () => store.putStream(chunksOf(1024, 1));
    expect((await failureOf(write)).code).toBe('UNAVAILABLE');
    await store.close();
    expect(warnings).toEqual([]);
    expect(await left()).toEqual([]);
  });

  it('when the delete of a write whose response was lost fails too, a warning names the object left behind', async () => {
    const { store, warnings } = isolatedStore('lost-twice', { maxAttempts: 1 });
    suite.proxy.fault = { kind: 'lose-response', times: Infinity };
    expect((await failureOf(() => store.put(new Uint8Array(1024)))).code).toBe('UNAVAILABLE');
    await store.close();
    expect(warnings.map(({ code }) => code)).toEqual(['CLEANUP_FAILED']);
    expect(warnings[0]?.key).toMatch(new RegExp(`^${uuidPattern}$`));
    expect(warnings[0]?.message).toContain(warnings[0]?.key);
  });

  it('an abort settles putStream at once while its source is stalled for good', async () => {
    const store = proxiedStore();
    const { code } = await abortAfter(100, (signal) => store.putStream(stalledAfterOneChunk(), { signal }));
    expect(code).toBe('ABORTED');
  });

  it('an abort settles a multipart putStream at once while the network is stalled, and leaves no upload and no object', async () => {
    const { store, keyPrefix, left } = isolatedStore('stalled-network', { requestTimeoutMs: 60_000 });
    suite.proxy.fault = { kind: 'stall-upload', afterBytes: MiB };
    const { code } = await abortAfter(300, (signal) => store.putStream(chunksOf(MiB, 20), { signal }));
    expect(code).toBe('ABORTED');
    suite.proxy.fault = { kind: 'pass' };
    await store.close();
    expect(await left()).toEqual([]);
    if (target.listsMultipartUploads) {
      const uploads = await admin.send(new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: keyPrefix }));
      expect(uploads.Uploads ?? []).toEqual([]);
    }
  }, 10_000);

  it.each(['get', 'getStream'] as const)('an abort settles a large %s at once while its body is still arriving', async (operation) => {
    const key = await directStore().put(new Uint8Array(16 * MiB));
    const store = proxiedStore();
    suite.proxy.fault = { kind: 'throttle', bytes: 64 * 1024, everyMs: 20 };
    const { code } = await abortAfter(300, async (signal) => {
      if (operation === 'get') return store.get(key, { signal });
      for await (const chunk of await store.getStream(key, { signal })) expect(chunk.byteLength).toBeGreaterThan(0);
    });
    expect(code).toBe('ABORTED');
  });

  it('close() with writes in flight: each resolves with a key a new store reads, or rejects with CLOSED, and nothing is orphaned unreported', async () => {
    // Each connection moves 800 KiB/s: the small writes finish within closeTimeoutMs, the large ones are cancelled.
    const { store, keyPrefix, warnings, left } = isolatedStore('close', { closeTimeoutMs: 450 });
    suite.proxy.fault = { kind: 'throttle', bytes: 16 * 1024, everyMs: 20 };
    const sizes = Array.from({ length: 20 }, (_, index) => 1024 * 2 ** (index % 10));
    // A source that never ends: at least one write is certain to be cancelled, however fast the rest are.
    const stalled = (async function* () {
      yield new Uint8Array(1024);
      await new Promise(() => undefined);
    })();
    const started = [...sizes.map((size, index) => (index % 2 === 0 ? store.put(new Uint8Array(size)) : store.putStream(chunksOf(size, 1)))), store.putStream(stalled)];
    const writes = started.map((write) =>
      write.then(
        (key) => ({ key, code: 'resolved' }),
        (error: unknown) => ({ key: undefined, code: isClaimCheckError(error) ? error.code : String(error) }),
      ),
    );
    // Closed once one write has landed, not after a fixed time: on a loaded machine 50 ms saw none.
    await new Promise<void>((resolve) => {
      for (const write of writes) void write.then(({ code }) => { if (code === 'resolved') resolve(); });
    });
    await store.close();
    const outcomes = await Promise.all(writes);
    const resolvedKeys = outcomes.flatMap(({ key }) => (key === undefined ? [] : [key]));
    expect(new Set(outcomes.map(({ code }) => code))).toEqual(new Set(['resolved', 'CLOSED']));
    const reader = proxiedStore({ endpoint: target.endpoint, keyPrefix });
    for (const key of resolvedKeys) expect((await reader.get(key)).byteLength).toBeGreaterThan(0);
    // Whatever a cancelled write left is either deleted or named in a warning, never left unsaid.
    // A cleanup still running when close() gave up finishes in the background: give it time to.
    const unreported = async () => {
      const warned = new Set(warnings.flatMap(({ code, key }) => (code === 'CLEANUP_FAILED' && key !== undefined ? [key] : [])));
      const orphans = (await left()).map((name) => name.slice(keyPrefix.length)).filter((key) => !resolvedKeys.includes(key));
      return orphans.filter((key) => !warned.has(key));
    };
    for (let tries = 0; tries < 50 && (await unreported()).length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await unreported()).toEqual([]);
  });
});
