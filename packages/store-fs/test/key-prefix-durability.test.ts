import { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { directorySyncs } from '../src/directory-sync.js';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { markerFileName } from '../src/layout-marker.js';
import { temporaryDirectory } from './support/temporary-directory.js';

// The FileHandle class is not exported; take its prototype from a handle.
async function fileHandlePrototype(): Promise<{ sync: () => Promise<void> }> {
  const handle = await open(join(await temporaryDirectory(), 'probe'), 'w');
  await handle.close();
  return Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
}

interface DirectorySync {
  // The synced directory relative to basePath ('' for basePath), and what it held when asked.
  directory: string;
  held: string[];
}

// Records every directory sync the store asks for (the group commit it goes through), and counts the
// fsyncs of directory handles that follow; both go through to the real fsync.
async function recordDirectorySyncs(basePath: string): Promise<{ asked: DirectorySync[]; fsyncs: () => number }> {
  const asked: DirectorySync[] = [];
  const commit = directorySyncs.commit.bind(directorySyncs);
  vi.spyOn(directorySyncs, 'commit').mockImplementation((directory) => {
    asked.push({ directory: relative(basePath, directory), held: readdirSync(directory).filter((name) => name !== markerFileName) });
    return commit(directory);
  });
  const prototype = await fileHandlePrototype();
  const sync = prototype.sync;
  let fsyncs = 0;
  vi.spyOn(prototype, 'sync').mockImplementation(function (this: unknown) {
    fsyncs++;
    return sync.call(this);
  });
  return { asked, fsyncs: () => fsyncs };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('durable puts under a key prefix', () => {
  for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
    it(`sync every directory the put created and the parent that gained it, before resolving (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), durable: true, layout });
      const { asked, fsyncs } = await recordDirectorySyncs(store.basePath);
      const key = await store.put(new Uint8Array(4096), { keyPrefix: 'a/b' });
      const uuid = key.slice(-36);
      const shard = uuid.slice(0, 2);
      const blobDirectory = layout === 'flat' ? 'a/b' : `a/b/${shard}`;
      // Top down: each parent once it holds the new directory, then the blob's own directory once it holds the blob.
      expect(asked).toEqual([
        { directory: '', held: ['a'] },
        { directory: 'a', held: ['b'] },
        ...(layout === 'flat' ? [] : [{ directory: 'a/b', held: [shard] }]),
        { directory: blobDirectory, held: [uuid] },
      ]);
      expect(fsyncs()).toBe(asked.length);

      // A second put under the prefix finds the directories in place: only the blob's directory is synced.
      asked.length = 0;
      const second = await store.putStream((async function* () {
        yield new Uint8Array(10);
      })(), { keyPrefix: 'a/b' });
      const secondShard = second.slice(-36, -34);
      const created = layout === 'sharded' && secondShard !== shard;
      expect(asked.map(({ directory }) => directory)).toEqual([
        ...(created ? ['a/b'] : []),
        layout === 'flat' ? 'a/b' : `a/b/${secondShard}`,
      ]);
    });
  }

  it('a store that is not durable syncs no directory under a prefix', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    const { asked, fsyncs } = await recordDirectorySyncs(store.basePath);
    await store.put(new Uint8Array(1), { keyPrefix: 'a/b/c' });
    expect(asked).toEqual([]);
    expect(fsyncs()).toBe(0);
  });

  it('a put that finds a directory another put has created but not yet synced waits for that sync before it resolves', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), durable: true });
    // A prefix directory that exists already, for a third put that must go through untouched.
    await store.put(new Uint8Array(1), { keyPrefix: 'other' });
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let rootSyncAsked!: () => void;
    const rootSyncAskedFor = new Promise<void>((resolve) => {
      rootSyncAsked = resolve;
    });
    const commit = directorySyncs.commit.bind(directorySyncs);
    vi.spyOn(directorySyncs, 'commit').mockImplementation(async (directory) => {
      if (directory !== store.basePath) return commit(directory);
      // The sync that makes the new directory `run` durable: held, as a slow disk would.
      rootSyncAsked();
      await held;
      await commit(directory);
      events.push('basePath synced');
    });

    const first = store.put(new Uint8Array([1]), { keyPrefix: 'run' }).then((key) => (events.push('first resolved'), key));
    await rootSyncAskedFor;
    // `run` exists now; the second put must not take it for durable.
    const second = store.put(new Uint8Array([2]), { keyPrefix: 'run' }).then((key) => (events.push('second resolved'), key));
    // A put started after the second, into a directory that is already durable, gets through meanwhile.
    await store.put(new Uint8Array([3]), { keyPrefix: 'other' });
    expect(events).toEqual([]);
    release();
    const keys = await Promise.all([first, second]);
    expect(events[0]).toBe('basePath synced');
    expect(events.slice(1).sort()).toEqual(['first resolved', 'second resolved']);
    for (const [index, key] of keys.entries()) expect(await store.get(key)).toEqual(new Uint8Array([index + 1]));
  });
});
