import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey } from '@claimcheck/core';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { markerFileName } from '../src/layout-marker.js';
import { sortedKeys } from './support/list-keys.js';
import { temporaryDirectory } from './support/temporary-directory.js';

const layouts = ['flat', 'sharded'] satisfies FilesystemLayout[];
const uuidOf = (key: string) => key.slice(-36);
const isFile = async (path: string) => (await stat(path)).isFile();

// A key of the given shard, as the store would have drawn it.
function keyInShard(shard: string): string {
  return `${shard}${generateKey().slice(2)}`;
}

describe('where a prefixed blob lands on disk', () => {
  it('flat: <basePath>/<segment>/…/<uuid>; a key without a prefix stays at <basePath>/<uuid>', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'flat' });
    const prefixed = await store.put(new Uint8Array([1]), { keyPrefix: 'ns/default/wf/order-7/run/r.1' });
    const plain = await store.put(new Uint8Array([2]));
    expect(await isFile(join(store.basePath, 'ns', 'default', 'wf', 'order-7', 'run', 'r.1', uuidOf(prefixed)))).toBe(true);
    expect(await readdir(join(store.basePath, 'ns', 'default', 'wf', 'order-7', 'run', 'r.1'))).toEqual([uuidOf(prefixed)]);
    expect(await isFile(join(store.basePath, plain))).toBe(true);
    expect((await readdir(store.basePath)).sort()).toEqual([markerFileName, 'ns', plain].sort());
  });

  it('sharded: <basePath>/<segment>/…/<first two characters of the uuid>/<uuid>; a key without a prefix stays at <basePath>/<ab>/<uuid>', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    const prefixed = await store.putStream((async function* () {
      yield new Uint8Array([1]);
    })(), { keyPrefix: 'tenant~A/2026-12%2F06' });
    const plain = await store.put(new Uint8Array([2]));
    const uuid = uuidOf(prefixed);
    expect(await isFile(join(store.basePath, 'tenant~A', '2026-12%2F06', uuid.slice(0, 2), uuid))).toBe(true);
    expect(await readdir(join(store.basePath, 'tenant~A', '2026-12%2F06'))).toEqual([uuid.slice(0, 2)]);
    expect(await isFile(join(store.basePath, plain.slice(0, 2), plain))).toBe(true);
  });

  for (const layout of layouts) {
    it(`a put that fails under a prefix leaves no temp file in the prefix directory (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      const failing = (async function* () {
        yield new Uint8Array(10);
        throw new Error('source broke');
      })();
      await expect(store.putStream(failing, { keyPrefix: 'a/b' })).rejects.toMatchObject({ code: 'SOURCE_FAILURE' });
      const left = await readdir(join(store.basePath, 'a', 'b'), { recursive: true, withFileTypes: true });
      expect(left.filter((entry) => entry.isFile())).toEqual([]);
    });
  }
});

describe('prefix directories', () => {
  it('are created with directoryMode exactly, whatever the umask, and a directory already there keeps its mode', async () => {
    const basePath = await temporaryDirectory();
    await mkdir(join(basePath, 'kept'), { mode: 0o755 });
    const store = new FilesystemStore({ basePath, layout: 'sharded', directoryMode: 0o750 });
    const previous = process.umask(0o077);
    let key: string;
    try {
      key = await store.put(new Uint8Array([1]), { keyPrefix: 'kept/new/run' });
    } finally {
      process.umask(previous);
    }
    const modeOf = async (...segments: string[]) => (await stat(join(basePath, ...segments))).mode & 0o777;
    expect(await modeOf('kept')).toBe(0o755);
    expect(await modeOf('kept', 'new')).toBe(0o750);
    expect(await modeOf('kept', 'new', 'run')).toBe(0o750);
    expect(await modeOf('kept', 'new', 'run', uuidOf(key).slice(0, 2))).toBe(0o750);
  });
});

describe('a prefix segment that looks like a shard (sharded layout)', () => {
  it('a prefix named like a shard and the shard of keys without a prefix share a directory without mixing up their keys', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    const plain = await store.put(new Uint8Array([1]));
    const shard = plain.slice(0, 2);
    // <basePath>/<shard> now holds the blob without a prefix and, below it, the prefix's own shards.
    const underShard = await store.put(new Uint8Array([2]), { keyPrefix: shard });
    const underShardTwice = await store.put(new Uint8Array([3]), { keyPrefix: `${shard}/${shard}` });
    expect(await isFile(join(store.basePath, shard, uuidOf(underShard).slice(0, 2), uuidOf(underShard)))).toBe(true);
    expect(await sortedKeys(store)).toEqual([plain, underShard, underShardTwice].sort());
    for (const [index, key] of [plain, underShard, underShardTwice].entries()) expect(await store.get(key)).toEqual(new Uint8Array([index + 1]));
    // The UUID alone, under the other's directory, is not the other's key.
    await expect(store.get(uuidOf(underShard))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.get(`${shard}/${plain}`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Still a sharded store when reopened without a layout, marker or not.
    await rm(join(store.basePath, markerFileName));
    expect(new FilesystemStore({ basePath: store.basePath }).layout).toBe('sharded');
  });

  it('a file of a shard placed in the prefix directory rather than in its shard is not listed', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    const key = await store.put(new Uint8Array([1]), { keyPrefix: 'ab' });
    // Right under the prefix `ns` (no shard), and in a shard that is not its own.
    await mkdir(join(store.basePath, 'ns', '00'), { recursive: true });
    await writeFile(join(store.basePath, 'ns', generateKey()), 'no shard');
    await writeFile(join(store.basePath, 'ns', '00', keyInShard('01')), 'wrong shard');
    expect(await sortedKeys(store)).toEqual([key]);
  });
});

describe('listing under prefixes', () => {
  for (const layout of layouts) {
    it(`skips foreign files, hidden and malformed directories, symbolic links and directories deeper than 8 segments (${layout})`, async () => {
      const basePath = await temporaryDirectory();
      const store = new FilesystemStore({ basePath, layout });
      const key = await store.put(new Uint8Array([1]), { keyPrefix: 'ns/default' });
      const prefixDirectory = join(basePath, 'ns', 'default');
      const blobDirectory = layout === 'flat' ? prefixDirectory : join(prefixDirectory, uuidOf(key).slice(0, 2));
      const shardOf = (name: string) => (layout === 'flat' ? '' : name.slice(0, 2));
      // Where a blob's file would be, under `segments` below basePath.
      const plant = async (segments: string[], name = generateKey()) => {
        const directory = join(basePath, ...segments, shardOf(name));
        await mkdir(directory, { recursive: true });
        await writeFile(join(directory, name), 'foreign');
      };
      await writeFile(join(blobDirectory, 'notes.txt'), 'foreign');
      await writeFile(join(blobDirectory, `.tmp-${randomUUID()}`), 'a crashed write');
      await writeFile(join(blobDirectory, generateKey().toUpperCase()), 'not a key');
      await plant(['.hidden']);
      await plant(['ns', 'with space']);
      await plant(['ns', '..dots']);
      await plant(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
      await plant(['x'.repeat(129)]);
      await plant([...Array.from({ length: 4 }, () => 'y'.repeat(119))]);
      const outside = await temporaryDirectory();
      const outsideKey = generateKey();
      await mkdir(join(outside, shardOf(outsideKey)), { recursive: true });
      await writeFile(join(outside, shardOf(outsideKey), outsideKey), 'outside');
      await symlink(outside, join(basePath, 'ns', 'linked'));
      await symlink(join(outside, shardOf(outsideKey), outsideKey), join(blobDirectory, generateKey()));

      expect(await sortedKeys(store)).toEqual([key]);
      // And the one blob is reported with its size, from its own file.
      const entries = [];
      for await (const entry of store.listEntries()) entries.push(entry);
      expect(entries).toMatchObject([{ key, size: 1 }]);
    });
  }

  it('a key under the longest prefix there is (8 segments, 475 characters) is listed and read back', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    const prefix = Array.from({ length: 8 }, (_, index) => String(index).repeat(index === 7 ? 55 : 59)).join('/');
    expect(prefix).toHaveLength(475);
    const key = await store.put(new Uint8Array([9]), { keyPrefix: prefix });
    expect(await sortedKeys(store)).toEqual([key]);
    expect(await store.get(key)).toEqual(new Uint8Array([9]));
  });
});

describe('concurrent puts under a new prefix', () => {
  for (const layout of layouts) {
    for (const durable of [false, true]) {
      it(`all succeed, from one store and from a second store on the same basePath, whichever creates each directory (${layout}${durable ? ', durable' : ''})`, async () => {
        const basePath = await temporaryDirectory();
        // Two stores share no state but the directory: to each other they are like two processes.
        const first = new FilesystemStore({ basePath, layout, durable });
        const second = new FilesystemStore({ basePath, layout, durable });
        const keys = await Promise.all(Array.from({ length: 40 }, (_, index) =>
          (index % 2 === 0 ? first : second).put(new Uint8Array([index]), { keyPrefix: 'ns/new/run' })));
        expect(await sortedKeys(first)).toEqual([...keys].sort());
        for (const [index, key] of keys.entries()) expect(await second.get(key)).toEqual(new Uint8Array([index]));
      });
    }
  }
});

describe('empty directories', () => {
  for (const layout of layouts) {
    it(`delete leaves the prefix directories in place, and later puts under the prefix use them (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      const key = await store.put(new Uint8Array([1]), { keyPrefix: 'run/r1' });
      await store.delete(key);
      expect((await stat(join(store.basePath, 'run', 'r1'))).isDirectory()).toBe(true);
      expect(await sortedKeys(store)).toEqual([]);
      const again = await store.put(new Uint8Array([2]), { keyPrefix: 'run/r1' });
      expect(await store.get(again)).toEqual(new Uint8Array([2]));
    });
  }
});

describe('sweep under prefixes', () => {
  const hour = 60 * 60 * 1000;
  const age = async (path: string) => {
    const then = new Date(Date.now() - 2 * hour);
    await utimes(path, then, then);
  };

  for (const layout of layouts) {
    it(`removes old temp files and blobs in nested directories and keeps young ones (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      const old = await store.put(new Uint8Array(100), { keyPrefix: 'ns/a/wf/b' });
      const young = await store.put(new Uint8Array(7), { keyPrefix: 'ns/a/wf/b' });
      const blobDirectory = (key: string) => join(store.basePath, 'ns', 'a', 'wf', 'b', layout === 'flat' ? '' : uuidOf(key).slice(0, 2));
      await age(join(blobDirectory(old), uuidOf(old)));
      const staleTemp = join(blobDirectory(young), `.tmp-${randomUUID()}`);
      const freshTemp = join(blobDirectory(young), `.tmp-${randomUUID()}`);
      await writeFile(staleTemp, new Uint8Array(1000));
      await writeFile(freshTemp, new Uint8Array(1000));
      await age(staleTemp);

      expect(await store.sweep({ olderThan: hour })).toEqual({ removedBlobs: 1, removedTempFiles: 1, bytesFreed: 1100 });
      expect(await sortedKeys(store)).toEqual([young]);
      await expect(stat(freshTemp)).resolves.toBeDefined();
      await expect(stat(staleTemp)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  }

  for (const layout of layouts) {
    it(`never enters a directory no key can name: hidden, malformed, or deeper than 8 segments (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      const shard = layout === 'flat' ? [] : ['ab'];
      const tooLong = Array.from({ length: 4 }, () => 'y'.repeat(119));
      const unnamed = [['.hidden'], ['with space'], ['x'.repeat(129)], tooLong, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']];
      const strays: string[] = [];
      for (const segments of unnamed) {
        const directory = join(store.basePath, ...segments, ...shard);
        await mkdir(directory, { recursive: true });
        const stray = join(directory, `.tmp-${randomUUID()}`);
        await writeFile(stray, 'stray');
        await age(stray);
        strays.push(stray);
      }
      // The deepest directory a key can name does get swept.
      const deepest = join(store.basePath, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', ...shard, `.tmp-${randomUUID()}`);
      await mkdir(join(deepest, '..'), { recursive: true });
      await writeFile(deepest, 'crashed');
      await age(deepest);
      expect((await store.sweep({ olderThan: 0 })).removedTempFiles).toBe(1);
      for (const stray of strays) await expect(stat(stray)).resolves.toBeDefined();
      await expect(stat(deepest)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  }

  it('leaves a temp-file-named file in a sharded prefix directory that is no shard: no put writes there', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    await store.put(new Uint8Array(1), { keyPrefix: 'tenant' });
    const stray = join(store.basePath, 'tenant', `.tmp-${randomUUID()}`);
    await writeFile(stray, 'stray');
    await age(stray);
    expect((await store.sweep({ olderThan: 0 })).removedTempFiles).toBe(0);
    await expect(stat(stray)).resolves.toBeDefined();
  });
});

describe('a root written before key prefixes', () => {
  // What the previous version left: blob files named by bare UUIDs where its layout puts them,
  // with its marker file or (older still) without one.
  for (const layout of layouts) {
    for (const withMarker of [true, false]) {
      it(`a ${layout} root ${withMarker ? 'with' : 'without'} a marker keeps working, and takes prefixed keys beside its blobs`, async () => {
        const basePath = await temporaryDirectory();
        const oldKeys = [generateKey(), generateKey(), generateKey()];
        for (const key of oldKeys) {
          const directory = layout === 'flat' ? basePath : join(basePath, key.slice(0, 2));
          await mkdir(directory, { recursive: true });
          await writeFile(join(directory, key), key);
        }
        if (withMarker) await writeFile(join(basePath, markerFileName), `${JSON.stringify({ layout })}\n`);

        const store = new FilesystemStore({ basePath });
        expect(store.layout).toBe(layout);
        for (const key of oldKeys) expect(new TextDecoder().decode(await store.get(key))).toBe(key);
        const prefixed = await store.put(new Uint8Array([1]), { keyPrefix: 'ab' });
        expect(await sortedKeys(store)).toEqual([...oldKeys, prefixed].sort());
        for (const key of oldKeys) await store.delete(key);
        expect(await sortedKeys(store)).toEqual([prefixed]);
      });
    }
  }
});

describe('layout detection of a root without a marker', () => {
  it('a flat store whose only blobs sit under a two-hex-digit prefix is recognised as flat, not sharded', async () => {
    const basePath = await temporaryDirectory();
    const flat = new FilesystemStore({ basePath, layout: 'flat' });
    // A UUID of another shard than `ab`, so the directory cannot pass for a shard.
    let key: string;
    do key = await flat.put(new Uint8Array([1]), { keyPrefix: 'ab' });
    while (uuidOf(key).startsWith('ab'));
    await rm(join(basePath, markerFileName));
    const reopened = new FilesystemStore({ basePath });
    expect(reopened.layout).toBe('flat');
    expect(await sortedKeys(reopened)).toContain(key);
  });

  it('a sharded store whose blobs are all under prefixes is still recognised as sharded', async () => {
    const basePath = await temporaryDirectory();
    const key = await new FilesystemStore({ basePath, layout: 'sharded' }).put(new Uint8Array([1]), { keyPrefix: 'cd/ef' });
    await rm(join(basePath, markerFileName));
    expect(() => new FilesystemStore({ basePath, layout: 'flat' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error);
    const reopened = new FilesystemStore({ basePath });
    expect(reopened.layout).toBe('sharded');
    expect(await sortedKeys(reopened)).toEqual([key]);
  });
});
