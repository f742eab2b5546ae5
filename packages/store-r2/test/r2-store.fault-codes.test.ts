import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { generateKey } from '@claimcheck/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { R2Store, type R2StoreOptions } from '../src/index.js';
import { codeOf } from './support/error-code.js';
import { type Fault, FaultProxy } from './support/fault-proxy.js';
import { freshPrefix, localTarget, purgePrefix, rawClient, targetOptions } from './support/s3-target.js';

// The README's table of which fault gives which code, row by row: the test runs what the docs say.
interface Row {
  fault: string;
  operations: string[];
  code: string;
}
const allOperations = ['put', 'putStream', 'get', 'getStream', 'delete', 'health', 'listKeys'];
function faultTable(): Row[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split('### Which fault gives which code')[1]?.split('\n\n').find((block) => block.startsWith('| fault '));
  if (section === undefined) throw new Error('the README has no fault table');
  return section
    .split('\n')
    .slice(2)
    .map((line) => {
      const [fault, operations, code] = line.split('|').slice(1, 4).map((cell) => cell.trim());
      return {
        fault: /^`([a-z-]+)`/.exec(fault ?? '')?.[1] ?? `unparsed: ${line}`,
        operations: operations === 'all' ? allOperations : (operations ?? '').split(', '),
        code: (code ?? '').replaceAll('`', ''),
      };
    });
}

const MiB = 1024 * 1024;
const target = localTarget();
const proxyFaults: Record<string, Fault> = {
  reset: { kind: 'reset', times: Infinity },
  blackhole: { kind: 'blackhole' },
  'trickle-response': { kind: 'trickle-response', everyMs: 50 },
  'stall-upload': { kind: 'stall-upload', afterBytes: 64 },
  'lose-response': { kind: 'lose-response', times: Infinity },
  cut: { kind: 'cut', afterBytes: 256 * 1024 },
  stall: { kind: 'stall', afterBytes: 256 * 1024 },
  // The store's own events, while the server is silent.
  abort: { kind: 'blackhole' },
  close: { kind: 'blackhole' },
};

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

// A source that takes its time, as a real one does: a part can fail while the next is still being read.
async function* multipartSource(): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < 17; index++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield new Uint8Array(MiB).fill(index);
  }
}

describe(`the README's fault table, against ${target.server}`, () => {
  const admin = rawClient(target);
  const prefix = freshPrefix('fault-codes');
  let proxy: FaultProxy;
  let key: string;
  let stores: R2Store[] = [];
  const store = (options: R2StoreOptions) => {
    // Waiting is bounded at 1 s: a server that trickles its headers never falls silent for 300 ms.
    const limits = { maxAttempts: 2, requestTimeoutMs: 300, waitTimeoutMs: 1_000, healthTimeoutMs: 1_000 };
    const created = new R2Store(targetOptions(target, { keyPrefix: prefix, ...limits, ...options }));
    stores.push(created);
    return created;
  };

  beforeAll(async () => {
    proxy = await FaultProxy.start(target.endpoint);
    // Setup, not under test: the store's default bounds, which a loaded machine's server meets.
    const direct = store({ endpoint: target.endpoint, requestTimeoutMs: undefined, waitTimeoutMs: undefined, healthTimeoutMs: undefined });
    key = await direct.put(new Uint8Array(MiB).fill(7));
  });
  afterEach(async () => {
    await Promise.all(stores.map((each) => each.close()));
    stores = [];
  });
  afterAll(async () => {
    await proxy.close();
    await purgePrefix(admin, target.bucket, prefix);
    admin.destroy();
  });

  const cases = faultTable().flatMap((row) => row.operations.map((operation) => ({ ...row, operation })));
  it('the table has a row for every fault the proxy injects', () => {
    expect(cases.map(({ fault }) => fault)).toEqual(expect.arrayContaining(['refused', ...Object.keys(proxyFaults)]));
  });

  it.each(cases)('$fault during $operation: $code', async ({ fault, operation, code }) => {
    const endpoint = fault === 'refused' ? `http://127.0.0.1:${await closedPort()}` : proxy.endpoint;
    proxy.fault = proxyFaults[fault] ?? { kind: 'pass' };
    // Warnings (failed cleanups, cancelled work) are expected here; the codes are what is tested.
    const faulty = store({ endpoint, closeTimeoutMs: 50, onWarning: () => undefined });
    const controller = new AbortController();
    const { signal } = controller;
    const run: Record<string, () => Promise<unknown>> = {
      put: () => faulty.put(new Uint8Array(64 * 1024), { signal }),
      putStream: () => faulty.putStream(multipartSource(), { signal }),
      get: () => faulty.get(key, { signal }),
      getStream: async () => {
        for await (const chunk of await faulty.getStream(key, { signal })) expect(chunk.byteLength).toBeGreaterThan(0);
      },
      // Another key: a delete that reaches the server must not take the object the reads need.
      delete: () => faulty.delete(generateKey(), { signal }),
      health: () => faulty.health({ signal }),
      listKeys: async () => {
        for await (const listed of faulty.listKeys({ signal })) expect(listed).toBeTypeOf('string');
      },
    };
    const action = run[operation];
    if (action === undefined) throw new Error(`the table names an unknown operation: ${operation}`);
    const outcome = codeOf(action);
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (fault === 'abort') controller.abort();
    if (fault === 'close') void faulty.close();
    expect(await outcome).toBe(code);
  });
});
