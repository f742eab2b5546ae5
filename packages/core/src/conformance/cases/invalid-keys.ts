import { assertSameBytes, rejectsWithCode } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { generateKey } from '../../store-key.js';
import type { ObjectStore } from '../../object-store.js';

// Each is something a store could never have generated; several would escape a naive store's root.
function invalidKeys(validKey: string): [string, unknown][] {
  return [
    ['a parent-directory path', '../x'],
    ['an absolute path', '/etc/passwd'],
    ['the empty string', ''],
    ['a key containing NUL', `${validKey}\0`],
    ['a 10 kB key', 'a'.repeat(10_000)],
    ['a valid key in upper case', validKey.toUpperCase()],
    ['a version-1 UUID', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'],
    ['a valid key with a path appended', `${validKey}/../${validKey}`],
    ['a valid key with a prefix', `x${validKey}`],
    ['a non-string', 42],
  ];
}

const operations: [string, (store: ObjectStore, key: string) => Promise<unknown>][] = [
  ['get', (store, key) => store.get(key)],
  ['getStream', (store, key) => store.getStream(key)],
  ['delete', (store, key) => store.delete(key)],
];

/** Keys the store could not have generated are rejected with INVALID_KEY by every keyed operation. */
export function invalidKeyCases(define: DefineCase): void {
  for (const [label, key] of invalidKeys(generateKey())) {
    define(`${label} is rejected with INVALID_KEY by get, getStream and delete`, async (store) => {
      for (const [operation, call] of operations) {
        await rejectsWithCode(() => call(store, key as string), 'INVALID_KEY', `${operation}(${label})`);
      }
    });
  }

  define('a rejected key leaves stored blobs untouched', async (store) => {
    const key = await store.put(new Uint8Array([1, 2, 3]));
    await rejectsWithCode(() => store.delete(key.toUpperCase()), 'INVALID_KEY', 'delete of the upper-cased key');
    await rejectsWithCode(() => store.delete(`${key}/..`), 'INVALID_KEY', 'delete of the key with /.. appended');
    assertSameBytes(await store.get(key), new Uint8Array([1, 2, 3]), 'get after the rejected deletes');
  });
}
