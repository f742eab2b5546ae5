import assert from 'node:assert/strict';
import { assertListsExactly, listAll } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { isStoreKey } from '../../store-key.js';

/** listKeys: every key once, nothing but keys, past the first page of a paged backend. */
export function listingCases(define: DefineCase, largeListingKeys: number): void {
  const largeListing =
    largeListingKeys > 1000
      ? 'listKeys and listEntries go past 1,000 keys'
      : `listKeys and listEntries list ${largeListingKeys} keys (weakened: the default goes past 1,000)`;
  define(largeListing, async (store) => {
    const keys: string[] = [];
    // A few puts at a time: a burst of a thousand would test the backend's limits, not the listing.
    for (let start = 0; start < largeListingKeys; start += 25) {
      const batch = Array.from({ length: Math.min(25, largeListingKeys - start) }, (_, index) => store.put(new Uint8Array([index])));
      keys.push(...(await Promise.all(batch)));
    }
    await assertListsExactly(store, keys, `after ${largeListingKeys} puts`);
    const entryKeys = [];
    for await (const { key } of store.listEntries()) entryKeys.push(key);
    assert.equal(entryKeys.length, keys.length, `listEntries yielded ${entryKeys.length} of ${keys.length} blobs`);
    assert.deepEqual(entryKeys.sort(), [...keys].sort(), 'listEntries yielded the wrong keys');
  });

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

  define('listEntries yields every blob once with its size and a plausible modification time', async (store) => {
    const before = Date.now();
    const sizes = [0, 13, 1024 * 1024];
    const keys = await Promise.all(sizes.map((size) => store.put(new Uint8Array(size))));
    const after = Date.now();
    const entries = [];
    for await (const entry of store.listEntries()) entries.push(entry);
    assert.deepEqual(entries.map(({ key }) => key).sort(), [...keys].sort(), 'listEntries yielded the wrong keys');
    for (const { key, size, lastModified } of entries) {
      assert.equal(size, sizes[keys.indexOf(key)], `listEntries gave the wrong size for ${key}`);
      assert.ok(lastModified instanceof Date, 'lastModified is not a Date');
      // Clock skew between client and server is allowed for; a wrong or missing time is not.
      const skew = 5 * 60_000;
      assert.ok(lastModified.getTime() >= before - skew && lastModified.getTime() <= after + skew, `implausible lastModified ${String(lastModified)}`);
    }
  });

  define('listEntries after deletes agrees with listKeys', async (store) => {
    const keys = await Promise.all([1, 2, 3, 4].map((value) => store.put(new Uint8Array([value]))));
    await store.delete(keys[0] ?? '');
    const entryKeys = [];
    for await (const { key } of store.listEntries()) entryKeys.push(key);
    assert.deepEqual(entryKeys.sort(), (await listAll(store)).sort());
    assert.equal(entryKeys.length, 3);
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
