import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey } from '@claimcheck/core';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { failure } from './support/failure.js';
import { sortedKeys } from './support/list-keys.js';
import { temporaryDirectory } from './support/temporary-directory.js';

// A store, and a directory outside its basePath holding a secret under a key-named file.
async function storeBesideASecret(layout: FilesystemLayout) {
  const root = await temporaryDirectory();
  const outside = join(root, 'outside');
  const store = new FilesystemStore({ basePath: join(root, 'blobs'), layout });
  const uuid = generateKey();
  // Where the secret would be read from if a link were followed: the layout's file under the link.
  const secretDirectory = join(outside, layout === 'flat' ? '' : uuid.slice(0, 2));
  await mkdir(secretDirectory, { recursive: true });
  await writeFile(join(secretDirectory, uuid), 'top secret');
  return { store, outside, uuid, secret: join(secretDirectory, uuid), root };
}

const oneByte = () => (async function* () {
  yield new Uint8Array([1]);
})();

for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
  describe(`a prefix directory replaced by a symbolic link (${layout})`, () => {
    for (const [label, segments] of [['the first segment', ['tenant']], ['a nested segment', ['a', 'b']]] as const) {
      it(`at ${label}: get, getStream, head and delete refuse it with STORE_FAILURE and never touch its target`, async () => {
        const { store, outside, uuid, secret, root } = await storeBesideASecret(layout);
        await mkdir(join(store.basePath, ...segments.slice(0, -1)), { recursive: true });
        await symlink(outside, join(store.basePath, ...segments));
        const key = `${segments.join('/')}/${uuid}`;
        for (const action of [() => store.get(key), () => store.getStream(key), () => store.head(key), () => store.delete(key)]) {
          const error = await failure(action);
          expect(error.code).toBe('STORE_FAILURE');
          expect(error.message).toContain(`directory ${segments.join('/')} is not a directory`);
          expect(error.message).not.toContain(root);
        }
        expect(await readFile(secret, 'utf8')).toBe('top secret');
        expect(await sortedKeys(store)).toEqual([]);
      });

      it(`at ${label}: put and putStream under it fail with STORE_FAILURE and write nothing outside`, async () => {
        const { store, outside, secret } = await storeBesideASecret(layout);
        await mkdir(join(store.basePath, ...segments.slice(0, -1)), { recursive: true });
        await symlink(outside, join(store.basePath, ...segments));
        const before = await readdir(outside, { recursive: true });
        // Deeper too: the missing directories below the link must not be created through it.
        for (const keyPrefix of [segments.join('/'), `${segments.join('/')}/deeper`]) {
          for (const put of [() => store.put(new Uint8Array([1]), { keyPrefix }), () => store.putStream(oneByte(), { keyPrefix })]) {
            expect((await failure(put)).code).toBe('STORE_FAILURE');
          }
        }
        expect(await readdir(outside, { recursive: true })).toEqual(before);
        expect(await readFile(secret, 'utf8')).toBe('top secret');
      });
    }
  });
}

describe('a prefix’s shard directory replaced by a symbolic link (sharded)', () => {
  it('put, get and delete under the prefix refuse it; nothing is written or read outside', async () => {
    const { store, outside, uuid, secret } = await storeBesideASecret('sharded');
    await mkdir(join(store.basePath, 'tenant'));
    // Every shard of the prefix leads outside, so whichever UUID put draws, its shard is a link.
    await Promise.all(Array.from({ length: 256 }, (_, index) => symlink(outside, join(store.basePath, 'tenant', index.toString(16).padStart(2, '0')))));
    const before = await readdir(outside, { recursive: true });
    const error = await failure(() => store.put(new Uint8Array([1]), { keyPrefix: 'tenant' }));
    expect(error.code).toBe('STORE_FAILURE');
    expect(error.message).toMatch(/shard tenant\/[0-9a-f]{2} is not a directory/);
    expect(await readdir(outside, { recursive: true })).toEqual(before);
    for (const action of [() => store.get(`tenant/${uuid}`), () => store.delete(`tenant/${uuid}`)]) {
      expect((await failure(action)).code).toBe('STORE_FAILURE');
    }
    expect(await readFile(secret, 'utf8')).toBe('top secret');
    expect(await sortedKeys(store)).toEqual([]);
  });
});

describe('a regular file where a prefix directory belongs', () => {
  for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
    it(`put under it and get of a key under it fail with STORE_FAILURE, not NOT_FOUND, and the file is left alone (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      await writeFile(join(store.basePath, 'tenant'), 'a file');
      expect((await failure(() => store.put(new Uint8Array([1]), { keyPrefix: 'tenant/run' }))).code).toBe('STORE_FAILURE');
      expect((await failure(() => store.get(`tenant/run/${generateKey()}`))).code).toBe('STORE_FAILURE');
      expect(await readFile(join(store.basePath, 'tenant'), 'utf8')).toBe('a file');
    });
  }
});
