import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createStore, optionsTable, providerNames, resolveStoreOptions } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { defaultBasePath, FilesystemStore, storeProvider } from '../src/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('the filesystem store provider', () => {
  it('is selected as filesystem or fs', () => {
    expect(providerNames(storeProvider)).toEqual(['filesystem', 'fs']);
  });

  it('reaches every option from the environment, the origin’s BLOB_STORAGE_PATH and BLOB_STORAGE_LAYOUT included', async () => {
    const basePath = join(await temporaryDirectory(), 'blobs');
    const env = {
      BLOB_STORAGE_PATH: basePath,
      BLOB_STORAGE_LAYOUT: 'Sharded',
      BLOB_STORAGE_DURABLE: 'true',
      BLOB_STORAGE_MAX_OPEN_FILES: '4',
      BLOB_STORAGE_DIRECTORY_MODE: '0700',
      BLOB_STORAGE_FILE_MODE: '0600',
      BLOB_STORAGE_CLOSE_TIMEOUT_MS: '100',
    };
    expect(resolveStoreOptions(storeProvider, { env })).toEqual({
      basePath,
      layout: 'sharded',
      durable: true,
      maxOpenFiles: 4,
      directoryMode: 0o700,
      fileMode: 0o600,
      closeTimeoutMs: 100,
    });
    const store = await createStore(storeProvider, { env });
    if (!(store instanceof FilesystemStore)) throw new Error('the provider made something other than a FilesystemStore');
    expect([store.basePath, store.layout, store.capabilities.durableWrites]).toEqual([basePath, 'sharded', true]);
    const key = await store.put(new Uint8Array([1, 2, 3]));
    const file = join(basePath, key.slice(0, 2), key);
    expect([await modeOf(basePath), await modeOf(join(basePath, key.slice(0, 2))), await modeOf(file)]).toEqual([0o700, 0o700, 0o600]);
    expect(await readFile(file)).toEqual(Buffer.from([1, 2, 3]));
    await store.close();
  });

  it('puts blobs under ~/.claimcheck/data/blobs when no path is given, as the origin does', async () => {
    const home = process.env.HOME;
    process.env.HOME = await temporaryDirectory();
    try {
      expect(defaultBasePath()).toBe(join(process.env.HOME, '.claimcheck', 'data', 'blobs'));
      const store = await createStore(storeProvider);
      expect(store instanceof FilesystemStore && store.basePath).toBe(defaultBasePath());
      expect((await stat(defaultBasePath())).isDirectory()).toBe(true);
      await store.close();
    } finally {
      process.env.HOME = home;
    }
  });

  it.each([
    [{ BLOB_STORAGE_LAYOUT: 'spiral' }, 'filesystem config failed: BLOB_STORAGE_LAYOUT="spiral" is not one of the choices (supported: flat, sharded)'],
    [{ BLOB_STORAGE_DURABLE: 'yes please' }, 'filesystem config failed: BLOB_STORAGE_DURABLE="yes please" is not a boolean (use true or false)'],
    [{ BLOB_STORAGE_FILE_MODE: '644x' }, 'filesystem config failed: BLOB_STORAGE_FILE_MODE="644x" is not an octal number (such as 0755)'],
  ])('refuses %j with INVALID_CONFIG naming the variable', async (env, message) => {
    await expect(createStore(storeProvider, { env })).rejects.toMatchObject({ code: 'INVALID_CONFIG', backend: 'filesystem', message });
  });

  it('leaves range checks to the store, which names the option', async () => {
    const basePath = await temporaryDirectory();
    await expect(createStore(storeProvider, { options: { basePath, maxOpenFiles: 0 } })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('maxOpenFiles must be a whole number of at least 1') as string,
    });
    await expect(createStore(storeProvider, { options: { basePath, closeTimeoutMs: -1 } })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      backend: 'filesystem',
    });
  });

  it('is what the README’s Options table shows', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(optionsTable(storeProvider.options));
  });
});
