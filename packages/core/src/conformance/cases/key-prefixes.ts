import assert from 'node:assert/strict';
import { assertListsExactly, assertSameBytes, listAll, rejectsWithCode } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { randomPayload } from '../payloads.js';
import { generateKey, isStoreKey } from '../../store-key.js';
import type { ObjectStore } from '../../object-store.js';

// Each breaks one rule of `isKeyPrefix`; several would escape a naive store's root or folder.
const invalidPrefixes: [string, unknown][] = [
  ['the empty string', ''],
  ['a leading /', '/tenant'],
  ['a trailing /', 'tenant/'],
  ['an empty segment', 'tenant//run'],
  ['a parent-directory segment', 'tenant/../run'],
  ['a segment starting with .', 'tenant/.hidden'],
  ['a space', 'tenant a'],
  ['a backslash', 'tenant\\run'],
  ['a non-ASCII character', 'tenänt'],
  ['NUL', 'tenant\0'],
  ['nine segments', 'a/b/c/d/e/f/g/h/i'],
  ['a 129-character segment', 'a'.repeat(129)],
  ['479 characters (over 475)', Array.from({ length: 4 }, () => 'a'.repeat(119)).join('/')],
  ['a non-string', 42],
];

/** put and putStream under a `keyPrefix`, for stores whose `capabilities.keyPrefixes` is true. */
export function keyPrefixCases(define: DefineCase): void {
  // A store without the capability is never handed a prefix by claimcheck; these cases are about those with it.
  const prefixed = (body: (store: ObjectStore) => Promise<void>) => async (store: ObjectStore) => {
    if (store.capabilities.keyPrefixes === true) await body(store);
  };

  define('put with a keyPrefix returns a key under it, and every keyed operation takes that key', prefixed(async (store) => {
    const payload = randomPayload(4096);
    const key = await store.put(payload, { keyPrefix: 'ns/default/wf/order-7/run/r.1' });
    assert.match(key, /^ns\/default\/wf\/order-7\/run\/r\.1\/[0-9a-f-]{36}$/, `put returned ${JSON.stringify(key)}`);
    assert.ok(isStoreKey(key), `put returned ${JSON.stringify(key)}, which is not a store key`);
    assertSameBytes(await store.get(key), payload, 'get of the prefixed key');
    const chunks: Uint8Array[] = [];
    for await (const chunk of await store.getStream(key)) chunks.push(chunk);
    assertSameBytes(Buffer.concat(chunks), payload, 'getStream of the prefixed key');
    if (store.head !== undefined) assert.equal((await store.head(key)).size, payload.byteLength, 'head of the prefixed key');
    assert.deepEqual(await listAll(store), [key], 'listKeys after one prefixed put');
    await store.delete(key);
    await rejectsWithCode(() => store.get(key), 'NOT_FOUND', 'get of the deleted prefixed key');
    assert.deepEqual(await listAll(store), [], 'listKeys after the delete');
  }));

  define('putStream with a keyPrefix stores under it', prefixed(async (store) => {
    const payload = randomPayload(300_000);
    const key = await store.putStream(chunksOf(payload), { keyPrefix: 'tenant~A/2026-12%2F06' });
    assert.ok(key.startsWith('tenant~A/2026-12%2F06/'), `putStream returned ${JSON.stringify(key)}`);
    assertSameBytes(await store.get(key), payload, 'get after a prefixed putStream');
  }));

  define('keys under nested, overlapping and no prefixes are listed exactly, each once', prefixed(async (store) => {
    const keys = [
      await store.put(new Uint8Array([1])),
      await store.put(new Uint8Array([2]), { keyPrefix: 'a' }),
      await store.put(new Uint8Array([3]), { keyPrefix: 'a' }),
      await store.put(new Uint8Array([4]), { keyPrefix: 'a/b' }),
      await store.put(new Uint8Array([5]), { keyPrefix: 'a/b/c/d/e/f/g/h' }),
      await store.put(new Uint8Array([6]), { keyPrefix: 'ab' }),
    ];
    await assertListsExactly(store, keys, 'after puts under several prefixes');
    for (const [index, key] of keys.entries()) assertSameBytes(await store.get(key), new Uint8Array([index + 1]), `get ${key}`);
  }));

  define('the same UUID under another prefix, or without its prefix, is a different, missing key', prefixed(async (store) => {
    const key = await store.put(new Uint8Array([7]), { keyPrefix: 'tenant-a' });
    const uuid = key.slice('tenant-a/'.length);
    await rejectsWithCode(() => store.get(uuid), 'NOT_FOUND', 'get of the UUID without its prefix');
    await rejectsWithCode(() => store.get(`tenant-b/${uuid}`), 'NOT_FOUND', 'get of the UUID under another prefix');
    await store.delete(`tenant-b/${uuid}`);
    assertSameBytes(await store.get(key), new Uint8Array([7]), 'get after deleting the UUID under another prefix');
  }));

  for (const [label, prefix] of invalidPrefixes) {
    define(`a keyPrefix with ${label} is rejected with INVALID_KEY by put and putStream, storing nothing`, prefixed(async (store) => {
      await rejectsWithCode(() => store.put(new Uint8Array([1]), { keyPrefix: prefix as string }), 'INVALID_KEY', `put under ${label}`);
      await rejectsWithCode(() => store.putStream(chunksOf(new Uint8Array([1])), { keyPrefix: prefix as string }), 'INVALID_KEY', `putStream under ${label}`);
      assert.deepEqual(await listAll(store), [], `a put under ${label} left a blob behind`);
    }));
  }

  define('a prefixed key with a bad segment is rejected with INVALID_KEY by get, getStream and delete', prefixed(async (store) => {
    const uuid = generateKey();
    for (const key of [`../${uuid}`, `a/./${uuid}`, `a//${uuid}`, `/a/${uuid}`, `a b/${uuid}`, `a/b/c/d/e/f/g/h/i/${uuid}`, `a/not-a-uuid`]) {
      await rejectsWithCode(() => store.get(key), 'INVALID_KEY', `get(${JSON.stringify(key)})`);
      await rejectsWithCode(() => store.getStream(key), 'INVALID_KEY', `getStream(${JSON.stringify(key)})`);
      await rejectsWithCode(() => store.delete(key), 'INVALID_KEY', `delete(${JSON.stringify(key)})`);
    }
  }));
}

async function* chunksOf(payload: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < payload.byteLength; offset += 65_536) yield payload.subarray(offset, offset + 65_536);
}
