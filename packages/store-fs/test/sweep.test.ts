import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey } from '@claimcheck/core';
import { FilesystemStore, type FilesystemLayout, type SweepOptions } from '../src/index.js';
import { heldStream, tempFilesUnder, waitForTempFiles } from './support/held-stream.js';
import { temporaryDirectory } from './support/temporary-directory.js';

const hour = 60 * 60 * 1000;

// Sets a file's modification time `age` milliseconds into the past, as if it had been written then.
async function age(path: string, milliseconds: number): Promise<void> {
  const then = new Date(Date.now() - milliseconds);
  await utimes(path, then, then);
}

async function listKeys(store: FilesystemStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

const blobPath = (store: FilesystemStore, key: string) =>
  join(store.basePath, store.layout === 'flat' ? '' : key.slice(0, 2), key);

describe('sweep', () => {
  for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
    it(`removes blobs and temp files older than olderThan, keeps younger ones, and reports what it removed (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      const old = [await store.put(new Uint8Array(100)), await store.put(new Uint8Array(250))];
      const young = await store.put(new Uint8Array(7));
      for (const key of old) await age(blobPath(store, key), 2 * hour);
      // Leftovers of writes that crashed: one long ago, one just now.
      const directory = join(store.basePath, layout === 'flat' ? '' : 'ab');
      await mkdir(directory, { recursive: true });
      const staleTemp = join(directory, `.tmp-${randomUUID()}`);
      const freshTemp = join(directory, `.tmp-${randomUUID()}`);
      await writeFile(staleTemp, new Uint8Array(1000));
      await writeFile(freshTemp, new Uint8Array(1000));
      await age(staleTemp, 2 * hour);

      const report = await store.sweep({ olderThan: hour });

      expect(report).toEqual({ removedBlobs: 2, removedTempFiles: 1, bytesFreed: 100 + 250 + 1000 });
      expect(await listKeys(store)).toEqual([young]);
      await expect(store.get(old[0] ?? '')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await tempFilesUnder(store.basePath)).toEqual([freshTemp]);
      expect(await store.sweep({ olderThan: hour })).toEqual({ removedBlobs: 0, removedTempFiles: 0, bytesFreed: 0 });
    });
  }

  it('never removes the temp file of a put still in flight in this process, however old it looks', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    const held = heldStream(new Uint8Array(500).fill(1), new Uint8Array(500).fill(2));
    const put = store.putStream(held.stream);
    const [temp] = await waitForTempFiles(store.basePath, 1);
    // By its age alone the temp file would go: only knowing the put is alive keeps it.
    await age(temp ?? '', 24 * hour);

    expect(await store.sweep({ olderThan: 0 })).toEqual({ removedBlobs: 0, removedTempFiles: 0, bytesFreed: 0 });
    // Another store in this process knows it too, even one that reaches the directory by another path.
    const alias = join(await temporaryDirectory(), 'alias');
    await symlink(store.basePath, alias);
    expect((await new FilesystemStore({ basePath: alias }).sweep({ olderThan: 0 })).removedTempFiles).toBe(0);

    held.release();
    const key = await put;
    const data = await store.get(key);
    expect(data.byteLength).toBe(1000);
    expect(data[0]).toBe(1);
    expect(data[999]).toBe(2);
  });

  it('leaves alone every file that is not the store’s', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    const strays = ['README.txt', generateKey().toUpperCase(), '.tmp-not-a-uuid', 'ab'];
    for (const name of strays) await writeFile(join(store.basePath, name), 'stray');
    await mkdir(join(store.basePath, 'subdir'));
    const outside = join(await temporaryDirectory(), 'target');
    await writeFile(outside, 'outside');
    await symlink(outside, join(store.basePath, generateKey()));
    for (const name of [...strays, 'subdir']) await age(join(store.basePath, name), 48 * hour);

    expect(await store.sweep({ olderThan: 0 })).toEqual({ removedBlobs: 0, removedTempFiles: 0, bytesFreed: 0 });
    for (const name of strays) expect(await readFile(join(store.basePath, name), 'utf8')).toBe('stray');
    expect((await stat(join(store.basePath, 'subdir'))).isDirectory()).toBe(true);
    expect(await readFile(outside, 'utf8')).toBe('outside');
  });

  it('rejects an olderThan that is not a finite, non-negative number of milliseconds with INVALID_CONFIG', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    const key = await store.put(new Uint8Array([1]));
    for (const olderThan of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1h', undefined]) {
      await expect(store.sweep({ olderThan } as unknown as SweepOptions)).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        operation: 'sweep',
      });
    }
    await expect(store.sweep(undefined as unknown as SweepOptions)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(await listKeys(store)).toEqual([key]);
  });

  it('stops with ABORTED when its signal fires while it runs, leaving the blobs it had not reached', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    await Promise.all(Array.from({ length: 200 }, () => store.put(new Uint8Array([1]))));
    const controller = new AbortController();
    const sweep = store.sweep({ olderThan: 0, signal: controller.signal });
    const reason = new Error('shutting down');
    setImmediate(() => {
      controller.abort(reason);
    });
    // The caller's reason is the cause, as for every other aborted operation.
    await expect(sweep).rejects.toMatchObject({ code: 'ABORTED', cause: reason });
    // 200 files take many turns of the event loop to sweep; the abort came on the first.
    expect((await listKeys(store)).length).toBeGreaterThan(0);
  });

  it('rejects with CLOSED after close, and with ABORTED for an aborted signal, touching nothing', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    const key = await store.put(new Uint8Array([1]));
    await expect(store.sweep({ olderThan: 0, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    await store.close();
    await expect(store.sweep({ olderThan: 0 })).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await listKeys(new FilesystemStore({ basePath: store.basePath }))).toEqual([key]);
  });
});
