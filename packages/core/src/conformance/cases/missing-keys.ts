import { assertSameBytes, rejectsWithCode } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { generateKey } from '../../store-key.js';

/** What get and delete do with keys that hold nothing. */
export function missingKeyCases(define: DefineCase): void {
  define('get of a missing key rejects with NOT_FOUND', async (store) => {
    await rejectsWithCode(() => store.get(generateKey()), 'NOT_FOUND', 'get of a never-stored key');
  });

  define('getStream of a missing key rejects with NOT_FOUND', async (store) => {
    await rejectsWithCode(() => store.getStream(generateKey()), 'NOT_FOUND', 'getStream of a never-stored key');
  });

  define('delete of a missing key succeeds', async (store) => {
    await store.delete(generateKey());
  });

  define('get after delete rejects with NOT_FOUND', async (store) => {
    const key = await store.put(new Uint8Array([1, 2, 3]));
    await store.delete(key);
    await rejectsWithCode(() => store.get(key), 'NOT_FOUND', 'get after delete');
    await rejectsWithCode(() => store.getStream(key), 'NOT_FOUND', 'getStream after delete');
  });

  define('delete called twice succeeds both times', async (store) => {
    const key = await store.put(new Uint8Array([1]));
    await store.delete(key);
    await store.delete(key);
  });

  define('delete removes only its own key', async (store) => {
    const kept = await store.put(new Uint8Array([7]));
    const removed = await store.put(new Uint8Array([8]));
    await store.delete(removed);
    assertSameBytes(await store.get(kept), new Uint8Array([7]), 'get of the key that was not deleted');
  });
}
