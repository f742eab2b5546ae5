import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey } from '@claimcheck/core';
import { FilesystemStore } from '../src/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';
import { failure } from './support/failure.js';
import { markerFileName } from '../src/layout-marker.js';

async function listKeys(store: FilesystemStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

// A directory outside basePath holding a secret, and a store whose basePath sits next to it.
async function storeBesideASecret(layout: 'flat' | 'sharded' = 'flat') {
  const root = await temporaryDirectory();
  const outside = join(root, 'outside');
  await mkdir(outside);
  const store = new FilesystemStore({ basePath: join(root, 'blobs'), layout });
  return { store, outside };
}

function expectNoPathsIn(error: Error, ...paths: string[]): void {
  for (const path of paths) expect(error.message).not.toContain(path);
}

describe('keys', () => {
  it('a key that is not a store key is rejected with INVALID_KEY before any filesystem call', async () => {
    const { store } = await storeBesideASecret();
    // With basePath gone, any filesystem call would fail as UNAVAILABLE or NOT_FOUND instead.
    await rm(store.basePath, { recursive: true });
    for (const key of ['../outside/secret', '/etc/passwd', `${generateKey()}/..`, '.tmp-' + generateKey()]) {
      expect((await failure(() => store.get(key))).code).toBe('INVALID_KEY');
      expect((await failure(() => store.getStream(key))).code).toBe('INVALID_KEY');
      expect((await failure(() => store.delete(key))).code).toBe('INVALID_KEY');
    }
  });
});

describe('symbolic links in the flat layout', () => {
  it('get and getStream refuse a symbolic link planted at a key’s path and never read its target', async () => {
    const { store, outside } = await storeBesideASecret();
    const secret = join(outside, 'secret');
    await writeFile(secret, 'top secret');
    const key = generateKey();
    await symlink(secret, join(store.basePath, key));
    for (const read of [() => store.get(key), () => store.getStream(key)]) {
      const error = await failure(read);
      expect(error.code).toBe('STORE_FAILURE');
      expect(error.message).toContain(key);
      expectNoPathsIn(error, outside, store.basePath);
    }
  });

  it('listKeys does not list a symbolic link named like a key, and delete removes the link, not its target', async () => {
    const { store, outside } = await storeBesideASecret();
    const secret = join(outside, 'secret');
    await writeFile(secret, 'top secret');
    const key = generateKey();
    await symlink(secret, join(store.basePath, key));
    expect(await listKeys(store)).toEqual([]);
    await store.delete(key);
    expect(await readdir(store.basePath)).toEqual([markerFileName]);
    expect(await readFile(secret, 'utf8')).toBe('top secret');
  });
});

describe('symbolic links in the sharded layout', () => {
  it('a shard directory replaced by a symbolic link is never followed by get, getStream, delete or listKeys', async () => {
    const { store, outside } = await storeBesideASecret('sharded');
    const key = generateKey();
    await writeFile(join(outside, key), 'top secret');
    await symlink(outside, join(store.basePath, key.slice(0, 2)));
    for (const action of [() => store.get(key), () => store.getStream(key), () => store.delete(key)]) {
      const error = await failure(action);
      expect(error.code).toBe('STORE_FAILURE');
      expect(error.message).toContain(`shard ${key.slice(0, 2)} is not a directory`);
      expectNoPathsIn(error, outside, store.basePath);
    }
    expect(await listKeys(store)).toEqual([]);
    expect(await readFile(join(outside, key), 'utf8')).toBe('top secret');
  });

  it('put never writes through a shard directory replaced by a symbolic link', async () => {
    const { store, outside } = await storeBesideASecret('sharded');
    // Every shard is a link out, so whichever key put draws, its shard leads outside.
    await Promise.all(
      Array.from({ length: 256 }, (_, index) => symlink(outside, join(store.basePath, index.toString(16).padStart(2, '0')))),
    );
    for (const put of [() => store.put(new Uint8Array([1])), () => store.putStream((async function* () {
      yield new Uint8Array([1]);
    })())]) {
      const error = await failure(put);
      expect(error.code).toBe('STORE_FAILURE');
      expectNoPathsIn(error, outside, store.basePath);
    }
    expect(await readdir(outside)).toEqual([]);
  });
});

describe('other things planted at a key’s path', () => {
  it('get and getStream of a FIFO fail at once with STORE_FAILURE instead of hanging', async () => {
    const { store } = await storeBesideASecret();
    const key = generateKey();
    execFileSync('mkfifo', [join(store.basePath, key)]);
    expect((await failure(() => store.get(key))).code).toBe('STORE_FAILURE');
    expect((await failure(() => store.getStream(key))).code).toBe('STORE_FAILURE');
    expect(await listKeys(store)).toEqual([]);
  });

  it('a directory at a key’s path makes get, getStream and delete fail with STORE_FAILURE, not NOT_FOUND', async () => {
    const { store } = await storeBesideASecret();
    const key = generateKey();
    await mkdir(join(store.basePath, key));
    for (const action of [() => store.get(key), () => store.getStream(key), () => store.delete(key)]) {
      const error = await failure(action);
      expect(error.code).toBe('STORE_FAILURE');
      expect(error.message).toContain(key);
      expectNoPathsIn(error, store.basePath);
    }
  });
});
