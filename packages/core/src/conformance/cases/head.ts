import assert from 'node:assert/strict';
import { rejectsWithCode } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { randomPayload } from '../payloads.js';
import { generateKey } from '../../store-key.js';
import type { ObjectStore } from '../../object-store.js';

type Head = NonNullable<ObjectStore['head']>;

// `head` is optional in the contract: a store without it has nothing here to prove.
function headOf(store: ObjectStore): Head | undefined {
  return typeof store.head === 'function' ? store.head.bind(store) : undefined;
}

/** `head`, where a store has it: the blob's info without its bytes, `NOT_FOUND` and `INVALID_KEY` like `get`. */
export function headCases(define: DefineCase): void {
  define('head of a stored blob gives its key, size and a plausible modification time', async (store) => {
    const head = headOf(store);
    if (head === undefined) return;
    const before = Date.now();
    const key = await store.put(randomPayload(12_345));
    const info = await head(key);
    assert.equal(info.key, key, 'head returned another key');
    assert.equal(info.size, 12_345, 'head misreports the size');
    assert.ok(info.lastModified instanceof Date, 'head gave no Date as lastModified');
    // Filesystems and servers keep whole seconds at worst, and clocks drift a little.
    const skewMs = 60_000;
    assert.ok(Math.abs(info.lastModified.getTime() - before) < skewMs, `head gave ${info.lastModified.toISOString()} for a blob just written`);
  });

  define('head of an empty blob gives size 0', async (store) => {
    const head = headOf(store);
    if (head === undefined) return;
    const key = await store.put(new Uint8Array(0));
    assert.equal((await head(key)).size, 0, 'head misreports an empty blob');
  });

  define('head of a missing or deleted key rejects with NOT_FOUND', async (store) => {
    const head = headOf(store);
    if (head === undefined) return;
    await rejectsWithCode(() => head(generateKey()), 'NOT_FOUND', 'head of a never-stored key');
    const key = await store.put(new Uint8Array([1]));
    await store.delete(key);
    await rejectsWithCode(() => head(key), 'NOT_FOUND', 'head after delete');
  });

  define('head rejects a key the store could not have generated with INVALID_KEY', async (store) => {
    const head = headOf(store);
    if (head === undefined) return;
    await rejectsWithCode(() => head('../x'), 'INVALID_KEY', 'head of a parent-directory path');
    await rejectsWithCode(() => head(generateKey().toUpperCase()), 'INVALID_KEY', 'head of an upper-cased key');
  });
}
