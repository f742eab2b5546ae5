import assert from 'node:assert/strict';
import { assertSameBytes, listAll, rejectsWithCode } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { allByteValues, MiB, randomPayload } from '../payloads.js';
import { isStoreKey } from '../../store-key.js';

const sizes: [string, () => Uint8Array][] = [
  ['0 B', () => new Uint8Array(0)],
  ['13 B', () => new TextEncoder().encode('Hello, World!')],
  ['binary data with all 256 byte values', allByteValues],
  ['1 MiB', () => randomPayload(MiB)],
  ['10 MiB', () => randomPayload(10 * MiB)],
];

/** put/get round trips of every size the origin tested, and what put promises about keys and copies. */
export function roundTripCases(define: DefineCase): void {
  for (const [label, makePayload] of sizes) {
    define(`get returns exactly what put stored: ${label}`, async (store) => {
      const payload = makePayload();
      const key = await store.put(payload);
      assertSameBytes(await store.get(key), payload, `get after put of ${label}`);
    });
  }

  define('put returns a store key: a lowercase version-4 UUID', async (store) => {
    const key = await store.put(new Uint8Array([1, 2, 3]));
    assert.ok(isStoreKey(key), `put returned ${JSON.stringify(key)}, which is not a store key`);
  });

  define('put stores a snapshot: changing the caller’s buffer afterwards changes nothing', async (store) => {
    const payload = randomPayload(4096);
    const original = payload.slice();
    const key = await store.put(payload);
    payload.fill(0);
    assertSameBytes(await store.get(key), original, 'get after the caller overwrote its buffer');
  });

  define('a returned buffer is the caller’s own: changing it does not change the blob', async (store) => {
    const payload = randomPayload(4096);
    const key = await store.put(payload);
    (await store.get(key)).fill(0);
    assertSameBytes(await store.get(key), payload, 'second get after the first result was overwritten');
  });

  define('put of a value that is not a Uint8Array rejects with INVALID_PAYLOAD', async (store) => {
    for (const value of ['text', 42, null, [1, 2, 3]]) {
      await rejectsWithCode(() => store.put(value as unknown as Uint8Array), 'INVALID_PAYLOAD', `put(${JSON.stringify(value)})`);
    }
    assert.deepEqual(await listAll(store), [], 'a rejected put left a blob behind');
  });
}
