import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey } from '@claimcheck/core';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';

async function listKeys(store: FilesystemStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

const sorted = (keys: string[]) => [...keys].sort();

describe('the sharded layout', () => {
  it('keeps each blob at <basePath>/<first two characters of the key>/<key>', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    const keys = await Promise.all(Array.from({ length: 20 }, (_, index) => store.put(new Uint8Array([index]))));
    for (const key of keys) expect((await stat(join(store.basePath, key.slice(0, 2), key))).isFile()).toBe(true);
    for (const entry of await readdir(store.basePath)) expect(entry).toMatch(/^[0-9a-f]{2}$/);
  });

  it('lists only blobs inside their own shard directory', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    const key = await store.put(new Uint8Array([1]));
    // A key in the wrong shard, a key at the top level, and directories that are not shards.
    const misplaced = generateKey();
    const wrongShard = misplaced.startsWith('00') ? '01' : '00';
    await mkdir(join(store.basePath, wrongShard), { recursive: true });
    await writeFile(join(store.basePath, wrongShard, misplaced), 'misplaced');
    await writeFile(join(store.basePath, generateKey()), 'top level');
    for (const name of ['zz', 'abc', 'AB']) {
      await mkdir(join(store.basePath, name));
      await writeFile(join(store.basePath, name, `${name.toLowerCase().slice(0, 2)}${generateKey().slice(2)}`), 'stray');
    }
    expect(await listKeys(store)).toEqual([key]);
    await expect(store.get(misplaced)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the two layouts on one directory', () => {
  it('a store opened with the other layout lists no key it cannot get', async () => {
    const basePath = await temporaryDirectory();
    const flat = new FilesystemStore({ basePath, layout: 'flat' });
    const sharded = new FilesystemStore({ basePath, layout: 'sharded' });
    const flatKeys = await Promise.all([1, 2, 3].map((value) => flat.put(new Uint8Array([value]))));
    const shardedKeys = await Promise.all([4, 5].map((value) => sharded.put(new Uint8Array([value]))));

    expect(sorted(await listKeys(flat))).toEqual(sorted(flatKeys));
    expect(sorted(await listKeys(sharded))).toEqual(sorted(shardedKeys));
    for (const [store, own, other] of [
      [flat, flatKeys, shardedKeys],
      [sharded, shardedKeys, flatKeys],
    ] as const) {
      for (const key of own) expect((await store.get(key)).byteLength).toBe(1);
      for (const key of other) await expect(store.get(key)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    // A sweep by one layout leaves the other layout's blobs alone.
    expect((await flat.sweep({ olderThan: 0 })).removedBlobs).toBe(3);
    expect(sorted(await listKeys(sharded))).toEqual(sorted(shardedKeys));
  });
});

describe('listKeys', () => {
  for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
    it(`reads the directory lazily: blobs deleted after the first key is yielded are not listed (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      const keys: string[] = [];
      for (let batch = 0; batch < 10; batch++) {
        keys.push(...(await Promise.all(Array.from({ length: 200 }, () => store.put(new Uint8Array(1))))));
      }
      const listed: string[] = [];
      for await (const key of store.listKeys()) {
        // A listing that had read every name up front would still yield all 2000.
        if (listed.length === 0) await Promise.all(keys.filter((other) => other !== key).map((other) => store.delete(other)));
        listed.push(key);
      }
      expect(listed.length).toBeLessThan(1000);
      expect(await listKeys(store)).toEqual([listed[0]]);
    });
  }
});
