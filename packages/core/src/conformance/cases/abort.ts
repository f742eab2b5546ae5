import assert from 'node:assert/strict';
import { listAll, rejectsWithCode } from '../assertions.js';
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
}
