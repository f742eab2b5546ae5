import assert from 'node:assert/strict';
import {
  assertRejectedWith,
  assertSameBytes,
  listAll,
  promptSettleMs,
  rejectsWithCode,
  settlesWithin,
  stalledSource,
} from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { MiB, randomPayload } from '../payloads.js';
import type { ObjectStore, OperationOptions } from '../../object-store.js';

const operations: [string, (store: ObjectStore, key: string, options: OperationOptions) => Promise<unknown>][] = [
  ['put', (store, _key, options) => store.put(new Uint8Array([1]), options)],
  ['putStream', (store, _key, options) => store.putStream(oneChunk(), options)],
  ['get', (store, key, options) => store.get(key, options)],
  ['getStream', (store, key, options) => store.getStream(key, options)],
  ['delete', (store, key, options) => store.delete(key, options)],
  ['health', (store, _key, options) => store.health(options)],
  ['listKeys', (store, _key, options) => listFirst(store.listKeys(options))],
  ['listEntries', (store, _key, options) => listFirst(store.listEntries(options))],
];

async function* oneChunk(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array([1]);
}

async function listFirst(listing: AsyncIterable<unknown>): Promise<void> {
  for await (const entry of listing) {
    assert.ok(entry);
    break;
  }
}

/** An aborted signal stops every operation with ABORTED, and an aborted write stores nothing. */
export function abortCases(define: DefineCase): void {
  define('every operation given an aborted signal rejects with ABORTED', async (store) => {
    const key = await store.put(new Uint8Array([9]));
    for (const [operation, call] of operations) {
      await rejectsWithCode(() => call(store, key, { signal: AbortSignal.abort() }), 'ABORTED', operation);
    }
    assert.deepEqual(await listAll(store), [key], 'an aborted write stored something');
  });

  define('putStream aborted midway rejects with ABORTED and stores nothing', async (store) => {
    const controller = new AbortController();
    async function* abortsMidway(): AsyncGenerator<Uint8Array> {
      yield randomPayload(MiB);
      yield randomPayload(MiB);
      controller.abort(new Error('caller gave up'));
      await new Promise((resolve) => setTimeout(resolve, 10));
      yield randomPayload(MiB);
    }
    await rejectsWithCode(() => store.putStream(abortsMidway(), { signal: controller.signal }), 'ABORTED', 'putStream');
    assert.deepEqual(await listAll(store), [], 'an aborted putStream left a blob behind');
  });

  define('getStream aborted midway stops with ABORTED', async (store) => {
    const key = await store.put(randomPayload(8 * MiB));
    const controller = new AbortController();
    const stream = await store.getStream(key, { signal: controller.signal });
    await rejectsWithCode(
      async () => {
        for await (const chunk of stream) {
          assert.ok(chunk.byteLength > 0);
          controller.abort();
        }
      },
      'ABORTED',
      'reading an aborted getStream',
    );
  });

  define('putStream aborted while its source is stalled rejects with ABORTED promptly and stores nothing', async (store) => {
    const controller = new AbortController();
    const { source, started } = stalledSource(randomPayload(64 * 1024));
    const pending = store.putStream(source, { signal: controller.signal });
    pending.catch(() => undefined);
    await settlesWithin(Promise.race([started, pending]), 10_000, 'putStream reading its source');
    controller.abort(new Error('caller gave up'));
    const outcome = await settlesWithin(pending, promptSettleMs, 'putStream aborted while its source is stalled');
    assertRejectedWith(outcome, ['ABORTED'], 'putStream aborted while its source is stalled');
    assert.deepEqual(await listAll(store), [], 'an aborted putStream left a blob behind');
  });

  define('get aborted while it reads a large blob settles promptly', async (store) => {
    const data = randomPayload(16 * MiB);
    const key = await store.put(data);
    const controller = new AbortController();
    const pending = store.get(key, { signal: controller.signal });
    controller.abort();
    const outcome = await settlesWithin(pending, promptSettleMs, 'get aborted during a 16 MiB read');
    // A store may have finished first; then the bytes must still be right.
    if (outcome.status === 'fulfilled') assertSameBytes(outcome.value, data, 'get that finished before the abort');
    else assertRejectedWith(outcome, ['ABORTED'], 'get aborted during a 16 MiB read');
  });

  define('getStream aborted while a read is pending settles promptly and yields nothing more', async (store) => {
    const key = await store.put(randomPayload(16 * MiB));
    const controller = new AbortController();
    const iterator = (await store.getStream(key, { signal: controller.signal }))[Symbol.asyncIterator]();
    try {
      const pending = iterator.next();
      controller.abort();
      const first = await settlesWithin(pending, promptSettleMs, 'a getStream read pending when the abort came');
      if (first.status === 'rejected') {
        assertRejectedWith(first, ['ABORTED'], 'a getStream read pending when the abort came');
        return;
      }
      const second = await settlesWithin(iterator.next(), promptSettleMs, 'the read after an abort');
      assertRejectedWith(second, ['ABORTED'], 'the read after an abort');
    } finally {
      await settlesWithin(Promise.resolve(iterator.return?.()), promptSettleMs, 'closing an aborted getStream');
    }
  });
}
