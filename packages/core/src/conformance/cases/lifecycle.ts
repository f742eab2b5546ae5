import assert from 'node:assert/strict';
import {
  assertRejectedWith,
  digestStream,
  listAll,
  promptSettleMs,
  rejectsWithCode,
  settlesWithin,
  stalledSource,
} from '../assertions.js';
import { MiB, randomPayload } from '../payloads.js';
import type { DefineCase } from '../harness.js';
import { generateKey } from '../../store-key.js';
import type { ObjectStore } from '../../object-store.js';

const operations: [string, (store: ObjectStore, key: string) => Promise<unknown>][] = [
  ['put', (store) => store.put(new Uint8Array([1]))],
  ['putStream', (store) => store.putStream((async function* () {
    yield new Uint8Array([1]);
  })())],
  ['get', (store, key) => store.get(key)],
  ['getStream', (store, key) => store.getStream(key)],
  ['delete', (store, key) => store.delete(key)],
  ['health', (store) => store.health()],
  ['listKeys', async (store) => {
    for await (const key of store.listKeys()) assert.ok(key);
  }],
  ['listEntries', async (store) => {
    for await (const entry of store.listEntries()) assert.ok(entry);
  }],
];

/** health, the capabilities manifest, and close. */
export function lifecycleCases(define: DefineCase): void {
  define('health resolves on a usable store', async (store) => {
    await store.health();
  });

  define('capabilities is a frozen manifest of booleans and name is a non-empty string', (store) => {
    assert.ok(Object.isFrozen(store.capabilities), 'capabilities is not frozen');
    assert.equal(typeof store.capabilities.streaming, 'boolean');
    assert.equal(typeof store.capabilities.durableWrites, 'boolean');
    assert.ok(typeof store.name === 'string' && store.name.length > 0, 'name is empty');
    return Promise.resolve();
  });

  define('every operation after close rejects with CLOSED', async (store) => {
    const key = await store.put(new Uint8Array([5]));
    await store.close();
    for (const [operation, call] of operations) {
      await rejectsWithCode(() => call(store, key), 'CLOSED', `${operation} after close`);
    }
    await rejectsWithCode(() => store.get(generateKey()), 'CLOSED', 'get of a missing key after close');
  });

  define('close called twice succeeds', async (store) => {
    await store.close();
    await store.close();
  });

  define('close with operations in flight settles each one with a result or CLOSED', async (store) => {
    const stored = await store.put(randomPayload(MiB));
    const stalled = stalledSource(new Uint8Array(1024));
    // Handled from the start: an operation may settle before the case looks at it.
    const inFlight: [string, Promise<unknown>][] = (<[string, Promise<unknown>][]>[
      ['put', store.put(randomPayload(4 * MiB))],
      ['putStream of a stalled source', store.putStream(stalled.source)],
      ['get', store.get(stored)],
      ['getStream read to the end', store.getStream(stored).then(digestStream)],
      ['listKeys', listAll(store)],
    ]).map(([what, operation]) => {
      operation.catch(() => undefined);
      return [what, operation];
    });
    await settlesWithin(Promise.race([stalled.started, inFlight[1]?.[1]]), 10_000, 'putStream reading its source');
    await settlesWithin(store.close(), 60_000, 'close with operations in flight');
    for (const [what, operation] of inFlight) {
      const outcome = await settlesWithin(operation, promptSettleMs, `${what} in flight when close was called`);
      // Only the stalled write cannot have finished.
      if (outcome.status === 'rejected' || operation === inFlight[1]?.[1]) {
        assertRejectedWith(outcome, ['CLOSED'], `${what} in flight when close was called`);
      }
    }
  });
}
