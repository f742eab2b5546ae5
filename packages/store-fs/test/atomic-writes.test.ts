import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isClaimCheckError } from '@claimcheck/core';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { heldStream, waitForTempFiles } from './support/held-stream.js';
import { temporaryDirectory } from './support/temporary-directory.js';
import { markerFileName } from '../src/layout-marker.js';

async function listKeys(store: FilesystemStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

async function filesUnder(directory: string): Promise<string[]> {
  return (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile() && entry.name !== markerFileName).map((entry) => entry.name);
}

const layouts: FilesystemLayout[] = ['flat', 'sharded'];

describe('writes go through a temp file', () => {
  for (const layout of layouts) {
    it(`a putStream in flight writes a hidden temp file in the blob’s own directory and lists no key (${layout})`, async () => {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      const held = heldStream(new Uint8Array(1000).fill(1), new Uint8Array(1000).fill(2));
      const put = store.putStream(held.stream);
      const [temp] = await waitForTempFiles(store.basePath, 1);
      expect(basename(temp ?? '')).toHaveLength('.tmp-'.length + 36);
      expect(await listKeys(store)).toEqual([]);
      held.release();
      const key = await put;
      const blobPath = join(store.basePath, layout === 'flat' ? '' : key.slice(0, 2), key);
      // Same directory, so the rename is atomic and never crosses filesystems.
      expect(dirname(temp ?? '')).toBe(dirname(blobPath));
      expect((await stat(blobPath)).size).toBe(2000);
      await waitForTempFiles(store.basePath, 0);
      expect(await listKeys(store)).toEqual([key]);
    });
  }
});

describe('a write that fails stores nothing, not even a temp file', () => {
  it('a putStream whose source fails leaves no file behind', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(64 * 1024);
      throw new Error('source broke');
    }
    await expect(store.putStream(failing())).rejects.toMatchObject({ code: 'SOURCE_FAILURE' });
    expect(await filesUnder(store.basePath)).toEqual([]);
  });

  it('a putStream aborted midway leaves no file behind', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout: 'sharded' });
    const controller = new AbortController();
    const held = heldStream(new Uint8Array(1000), new Uint8Array(1000));
    const put = store.putStream(held.stream, { signal: controller.signal });
    await waitForTempFiles(store.basePath, 1);
    controller.abort();
    held.release();
    await expect(put).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await filesUnder(store.basePath)).toEqual([]);
  });

  it('a put aborted after it started leaves no file behind', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    const controller = new AbortController();
    const put = store.put(new Uint8Array(16 * 1024 * 1024), { signal: controller.signal });
    // The put has passed its first abort check; the abort lands in the write or just before the rename.
    controller.abort();
    await expect(put).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await filesUnder(store.basePath)).toEqual([]);
  });

  it('close waits for a put in flight: the blob is stored whole and a new store reads it', async () => {
    const basePath = await temporaryDirectory();
    const warnings: string[] = [];
    // The default closeTimeoutMs (30 s): a loaded machine's 1 MiB write finishes well within it.
    const store = new FilesystemStore({ basePath, onWarning: ({ code }) => warnings.push(code) });
    const put = store.put(new Uint8Array(1024 * 1024));
    await store.close();
    const key = await put;
    expect((await new FilesystemStore({ basePath }).get(key)).byteLength).toBe(1024 * 1024);
    expect(await filesUnder(basePath)).toEqual([key]);
    expect(warnings).toEqual([]);
  });

  it('a putStream still held after closeTimeoutMs rejects with CLOSED, leaving no file', async () => {
    const basePath = await temporaryDirectory();
    const warnings: string[] = [];
    const store = new FilesystemStore({ basePath, closeTimeoutMs: 200, onWarning: ({ code }) => warnings.push(code) });
    const held = heldStream(new Uint8Array(10), new Uint8Array(10));
    const putStream = store.putStream(held.stream).catch((error: unknown) => error);
    await store.close();
    held.release();
    const reason: unknown = await putStream;
    expect(isClaimCheckError(reason) && reason.code).toBe('CLOSED');
    expect(await filesUnder(basePath)).toEqual([]);
    expect(warnings).toEqual(['CLOSE_INCOMPLETE']);
  });
});

describe('writes cut off the moment they start', () => {
  it('2,000 putStreams aborted as they open their temp file leave no temp file behind', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    for (let round = 0; round < 2000; round++) {
      const controller = new AbortController();
      const write = store.putStream(Readable.from([new Uint8Array(4096)]), { signal: controller.signal }).catch((error: unknown) => error);
      // Aborted at different points of opening the file: at once, or a turn of the event loop later.
      if (round % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      expect(await write).toMatchObject({ code: 'ABORTED' });
    }
    await store.close();
    expect(await filesUnder(store.basePath)).toEqual([]);
  }, 60_000);
});

