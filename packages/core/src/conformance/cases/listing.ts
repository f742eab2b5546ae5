import assert from 'node:assert/strict';
import { assertListsExactly, listAll } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { isStoreKey } from '../../store-key.js';

/** listKeys: every key once, nothing but keys. */
export function listingCases(define: DefineCase): void {
  define('listKeys on an empty store yields nothing', async (store) => {
    await assertListsExactly(store, [], 'empty store');
  });

  define('listKeys after puts yields every key exactly once', async (store) => {
    const keys = await Promise.all(Array.from({ length: 25 }, (_, index) => store.put(new Uint8Array([index]))));
    await assertListsExactly(store, keys, 'after 25 puts');
  });

  define('listKeys after deletes yields only the keys that remain', async (store) => {
    const keys = await Promise.all(Array.from({ length: 10 }, (_, index) => store.put(new Uint8Array([index]))));
    await Promise.all(keys.slice(0, 4).map((key) => store.delete(key)));
    await assertListsExactly(store, keys.slice(4), 'after deleting 4 of 10');
  });

  define('listKeys yields nothing but store keys', async (store) => {
    await store.put(new Uint8Array(100));
    await store.putStream(
      (async function* () {
        yield new Uint8Array(100);
      })(),
    );
    const listed = await listAll(store);
    assert.equal(listed.length, 2);
    for (const key of listed) assert.ok(isStoreKey(key), `listKeys yielded ${JSON.stringify(key)}, which is not a store key`);
  });

  define('a listing stopped early leaves the store usable', async (store) => {
    await Promise.all([1, 2, 3].map((value) => store.put(new Uint8Array([value]))));
    for await (const key of store.listKeys()) {
      assert.ok(isStoreKey(key));
      break;
    }
    const key = await store.put(new Uint8Array([4]));
    assert.equal((await listAll(store)).filter((listed) => listed === key).length, 1);
  });
}
