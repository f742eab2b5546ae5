import { randomUUID } from 'node:crypto';
import fs, { readdirSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeAtomically } from '../src/atomic-write.js';
import { type DirectoryHandle, DirectorySyncs, openDirectory } from '../src/directory-sync.js';
import { FileMode } from '../src/file-mode.js';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';
import { markerFileName } from '../src/layout-marker.js';

// The FileHandle class is not exported; take its prototype from a handle.
async function fileHandlePrototype(): Promise<{ sync: () => Promise<void> }> {
  const handle = await open(join(await temporaryDirectory(), 'probe'), 'w');
  await handle.close();
  return Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
}

// What the directory holds besides the store's marker file, in order.
const storeFiles = (names: string[]) => names.filter((name) => name !== markerFileName).sort();

// Records, for every fsync the store makes (FileHandle#sync for directories, fs.fsync for put and
// streams), what the directory held at that moment. The calls go through to the real fsync.
async function recordSyncs(directory: string): Promise<string[][]> {
  const seen: string[][] = [];
  const prototype = await fileHandlePrototype();
  const handleSync = prototype.sync;
  vi.spyOn(prototype, 'sync').mockImplementation(function (this: unknown) {
    seen.push(storeFiles(readdirSync(directory)));
    return handleSync.call(this);
  });
  const fsync = fs.fsync;
  vi.spyOn(fs, 'fsync').mockImplementation((fd, callback) => {
    seen.push(storeFiles(readdirSync(directory)));
    fsync(fd, callback);
  });
  return seen;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('durable writes', () => {
  for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
    it(`a durable store declares durableWrites and round-trips put and putStream (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), durable: true, layout });
      expect(store.capabilities.durableWrites).toBe(true);
      const payload = new TextEncoder().encode('durable payload');
      expect(await store.get(await store.put(payload))).toEqual(payload);
      expect(await store.get(await store.putStream(Readable.from([payload.subarray(0, 3), payload.subarray(3)])))).toEqual(payload);
    });
  }

  it('put fsyncs the temp file before the rename and the directory after it', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), durable: true });
    const seen = await recordSyncs(store.basePath);
    const key = await store.put(new Uint8Array(4096));
    expect(seen).toHaveLength(2);
    // First the file, while only its temp name exists; then the directory, once the key is there.
    expect(seen[0]).toEqual([expect.stringMatching(/^\.tmp-/)]);
    expect(seen[1]).toEqual([key]);
  });

  it('putStream fsyncs the temp file before the rename and the directory after it', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), durable: true });
    const seen = await recordSyncs(store.basePath);
    const key = await store.putStream(Readable.from([new Uint8Array(4096), new Uint8Array(10)]));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual([expect.stringMatching(/^\.tmp-/)]);
    expect(seen[1]).toEqual([key]);
  });

  it('a durable put that creates a shard directory fsyncs basePath too, so the shard survives a power loss', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), durable: true, layout: 'sharded' });
    const seen = await recordSyncs(store.basePath);
    const key = await store.put(new Uint8Array(4096));
    // basePath (holding the new shard), then the file, then the shard directory.
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual([key.slice(0, 2)]);
  });

  it('a store that is not durable never fsyncs', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    const seen = await recordSyncs(store.basePath);
    await store.put(new Uint8Array(4096));
    await store.putStream(Readable.from([new Uint8Array(4096)]));
    expect(seen).toEqual([]);
  });
});

// Group commit: concurrent durable puts into one directory share its fsync. These run the store's
// own put protocol (writeAtomically: temp file written and flushed, rename, directory sync) with a
// DirectorySyncs whose syncs are real directory fsyncs, wrapped to count and order them.
describe('group commit of directory syncs', () => {
  // A DirectorySyncs whose every directory fsync is real, runs `before` first and `after` once it
  // has succeeded; `index` counts the syncs from 0, in the order they start.
  function syncsWith(before: (index: number, directory: string) => Promise<void>, after: (index: number) => void = () => undefined): DirectorySyncs {
    let started = 0;
    return new DirectorySyncs(async (directory): Promise<DirectoryHandle> => {
      const handle = await openDirectory(directory);
      return {
        sync: async () => {
          const index = started++;
          await before(index, directory);
          await handle.sync();
          after(index);
        },
        close: () => handle.close(),
      };
    });
  }

  interface SyncRecord {
    // The directory's entries when the sync started: exactly the renames it covers.
    readonly covered: readonly string[];
    ended: boolean;
  }

  // A DirectorySyncs that records every sync it starts; `fail(n)` says whether sync n (from 0) fails.
  function recordingSyncs(fail: (index: number) => boolean = () => false): { syncs: DirectorySyncs; records: SyncRecord[] } {
    const records: SyncRecord[] = [];
    const syncs = syncsWith(
      async (index, directory) => {
        records.push({ covered: readdirSync(directory), ended: false });
        // Leave the other puts time to pile up behind this sync, as a slow disk would.
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail(index)) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      },
      (index) => {
        const record = records[index];
        if (record !== undefined) record.ended = true;
      },
    );
    return { syncs, records };
  }

  // One durable put of `name` into `directory` through the store's write path.
  function durablePut(directory: string, name: string, syncs: DirectorySyncs): Promise<void> {
    return writeAtomically({
      directory,
      name,
      fileMode: new FileMode(0o644),
      durable: true,
      syncs,
      write: ({ path, flags, mode, flush }) => writeFile(path, name, { flag: flags, mode, flush }),
      beforeRename: () => undefined,
    });
  }

  const names = Array.from({ length: 32 }, () => randomUUID());

  it('32 concurrent durable puts into one directory share fewer than 32 directory fsyncs', async () => {
    const directory = await temporaryDirectory();
    const { syncs, records } = recordingSyncs();
    await Promise.all(names.map((name) => durablePut(directory, name, syncs)));
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.length).toBeLessThan(32);
    expect(readdirSync(directory).sort()).toEqual([...names].sort());
  });

  it('a put resolves only after a directory fsync that started after its rename has ended', async () => {
    const directory = await temporaryDirectory();
    const { syncs, records } = recordingSyncs();
    await Promise.all(
      names.map(async (name) => {
        await durablePut(directory, name, syncs);
        // Some sync saw this name when it started, so the rename came first, and that sync has ended.
        expect(records.some((record) => record.ended && record.covered.includes(name))).toBe(true);
      }),
    );
  });

  it('puts that arrive while a sync runs wait for the next one, which starts as soon as it ends', async () => {
    const directory = await temporaryDirectory();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const syncs = syncsWith(
      async (index) => {
        order.push(`sync ${String(index)} started`);
        if (index === 0) {
          firstStarted();
          await held;
        }
      },
      (index) => order.push(`sync ${String(index)} ended`),
    );
    const first = syncs.commit(directory).then(() => order.push('first resolved'));
    const second = syncs.commit(directory).then(() => order.push('second resolved'));
    const third = syncs.commit(directory).then(() => order.push('third resolved'));
    // Sync 0 holds: the second and third callers asked after it started and must not ride on it.
    // Waits for sync 0 to start (under load that can take longer than any fixed delay), then a while more.
    await started;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['sync 0 started']);
    release();
    await Promise.all([first, second, third]);
    const at = (event: string) => order.indexOf(event);
    expect(order).toHaveLength(7);
    expect(at('sync 0 ended')).toBeLessThan(at('first resolved'));
    // One more sync, for both later callers, started once the first had ended; they waited for it.
    expect(at('sync 0 ended')).toBeLessThan(at('sync 1 started'));
    expect(at('sync 1 ended')).toBeLessThan(at('second resolved'));
    expect(at('sync 1 ended')).toBeLessThan(at('third resolved'));
  });

  it('a failed directory fsync fails every caller of its batch and no other', async () => {
    const directory = await temporaryDirectory();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const syncs = syncsWith(async (index) => {
      if (index === 0) await held;
      if (index === 1) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    });
    const outcome = (commit: Promise<void>) => commit.then(() => 'stored', (error: unknown) => error);
    const first = outcome(syncs.commit(directory));
    const second = outcome(syncs.commit(directory));
    const third = outcome(syncs.commit(directory));
    release();
    expect(await first).toBe('stored');
    expect(await second).toMatchObject({ code: 'EIO' });
    expect(await third).toMatchObject({ code: 'EIO' });
    // The next caller gets a fresh sync.
    expect(await outcome(syncs.commit(directory))).toBe('stored');
  });

  it('each put of a batch whose directory fsync failed removes its blob; the others keep theirs', async () => {
    const directory = await temporaryDirectory();
    // The second sync fails: the first batch is stored, the puts that waited for the second are not.
    const { syncs, records } = recordingSyncs((index) => index === 1);
    const outcomes = await Promise.allSettled(names.map((name) => durablePut(directory, name, syncs)));
    const failed = names.filter((_, index) => outcomes[index]?.status === 'rejected');
    const stored = names.filter((_, index) => outcomes[index]?.status === 'fulfilled');
    expect(failed.length).toBeGreaterThan(0);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'EIO' });
    // Each failed put had renamed its blob before the failed sync started: it was of that batch.
    for (const name of failed) expect(records[1]?.covered).toContain(name);
    expect(readdirSync(directory).sort()).toEqual(stored.sort());
  });
});
