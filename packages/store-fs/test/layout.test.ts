import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey } from '@claimcheck/core';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { markerFileName } from '../src/layout-marker.js';
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
    for (const entry of await readdir(store.basePath)) expect(entry).toMatch(/^([0-9a-f]{2}|\.claimcheck-store\.json)$/);
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
  for (const [layout, other] of [
    ['sharded', 'flat'],
    ['flat', 'sharded'],
  ] as const) {
    it(`a ${layout} store opened without a layout finds its blobs; opened as ${other}, it says why not`, async () => {
      const basePath = await temporaryDirectory();
      const keys = await Promise.all([1, 2, 3].map((value) => new FilesystemStore({ basePath, layout }).put(new Uint8Array([value]))));
      const reopened = new FilesystemStore({ basePath });
      expect(reopened.layout).toBe(layout);
      expect(sorted(await listKeys(reopened))).toEqual(sorted(keys));
      for (const key of keys) expect((await reopened.get(key)).byteLength).toBe(1);
      // Never NOT_FOUND for every blob, which a caller could take for expired data.
      expect(() => new FilesystemStore({ basePath, layout: other })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(`holds a ${layout} store`) as string }) as Error,
      );
    });

    it(`a ${layout} store written before the marker file existed is recognised by its contents`, async () => {
      const basePath = await temporaryDirectory();
      const key = await new FilesystemStore({ basePath, layout }).put(new Uint8Array([1]));
      await rm(join(basePath, markerFileName));
      const reopened = new FilesystemStore({ basePath });
      expect(reopened.layout).toBe(layout);
      expect(await listKeys(reopened)).toEqual([key]);
      expect(() => new FilesystemStore({ basePath, layout: other })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error);
    });
  }

  it('an empty basePath takes the layout asked for, flat by default, and records it', async () => {
    const flatPath = await temporaryDirectory();
    expect(new FilesystemStore({ basePath: flatPath }).layout).toBe('flat');
    const shardedPath = await temporaryDirectory();
    new FilesystemStore({ basePath: shardedPath, layout: 'sharded' });
    expect(JSON.parse(await readFile(join(shardedPath, markerFileName), 'utf8'))).toEqual({ layout: 'sharded' });
    expect(new FilesystemStore({ basePath: shardedPath }).layout).toBe('sharded');
  });

  it('a marker file that is not JSON or names no layout is INVALID_CONFIG, naming the file as the path', async () => {
    for (const content of ['{not json', '{"layout":"spiral"}']) {
      const basePath = await temporaryDirectory();
      await writeFile(join(basePath, markerFileName), content);
      expect(() => new FilesystemStore({ basePath })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', path: join(basePath, markerFileName) }) as Error,
      );
    }
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
