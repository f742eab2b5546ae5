import fs, { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

// Records, for every fsync the store makes (FileHandle#sync for put and directories, fs.fsync for
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
