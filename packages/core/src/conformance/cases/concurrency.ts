import assert from 'node:assert/strict';
import { assertSameBytes, listAll } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { lazyPayload, MiB, randomPayload } from '../payloads.js';
import { createHash } from 'node:crypto';
import type { ObjectStore } from '../../object-store.js';

// Reads every listed key until `done` settles; any blob that is not complete is torn.
async function watchForTornReads(
  store: ObjectStore,
  done: Promise<unknown>,
  isComplete: (data: Uint8Array) => boolean,
): Promise<void> {
  const state = { finished: false };
  const settle = () => {
    state.finished = true;
  };
  done.then(settle, settle);
  while (!state.finished) {
    for (const key of await listAll(store)) {
      const data = await store.get(key).catch(() => undefined);
      if (data === undefined) continue;
      assert.ok(isComplete(data), `get returned ${data.byteLength} torn bytes while the put was in flight`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Concurrent puts get distinct keys; readers never see half-written blobs. */
export function concurrencyCases(define: DefineCase): void {
  define('200 concurrent puts return 200 distinct keys, each holding its own bytes', async (store) => {
    const payloads = Array.from({ length: 200 }, (_, index) => new TextEncoder().encode(`payload ${index}`));
    const keys = await Promise.all(payloads.map((payload) => store.put(payload)));
    assert.equal(new Set(keys).size, 200, 'concurrent puts returned duplicate keys');
    const stored = await Promise.all(keys.map((key) => store.get(key)));
    stored.forEach((data, index) => {
      assertSameBytes(data, payloads[index] ?? new Uint8Array(), `payload ${index}`);
    });
  });

  define('a get running concurrently with a put never returns torn data', async (store) => {
    const payload = randomPayload(16 * MiB);
    const expected = sha256(payload);
    const put = store.put(payload);
    await watchForTornReads(store, put, (data) => data.byteLength === payload.byteLength && sha256(data) === expected);
    await put;
  });

  define('a get running concurrently with a slow putStream never returns torn data', async (store) => {
    const payload = lazyPayload(16 * MiB, 256 * 1024);
    const put = store.putStream(payload.stream);
    await watchForTornReads(store, put, (data) => {
      const { length, sha256: digest } = payload.produced();
      return data.byteLength === length && length === 16 * MiB && sha256(data) === digest;
    });
    const key = await put;
    assert.equal(sha256(await store.get(key)), payload.produced().sha256);
  });
}
