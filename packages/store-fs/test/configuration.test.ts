import { Readable } from 'node:stream';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilesystemStore, type FilesystemStoreOptions } from '../src/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

function configError(options: unknown) {
  try {
    new FilesystemStore(options as FilesystemStoreOptions);
  } catch (error) {
    return error;
  }
  throw new Error(`the constructor accepted ${JSON.stringify(options)}`);
}

describe('constructor validation', () => {
  const invalid: [string, Record<string, unknown>, string][] = [
    ['a missing basePath', {}, 'base path is required'],
    ['a basePath that is not a string', { basePath: 42 }, 'base path is required'],
    ['a basePath containing NUL', { basePath: '/tmp/a\0b' }, 'NUL'],
    ['a negative directoryMode', { basePath: '/tmp/x', directoryMode: -1 }, 'directoryMode'],
    ['a fileMode above 0o777', { basePath: '/tmp/x', fileMode: 0o1000 }, 'fileMode'],
    ['a fractional fileMode', { basePath: '/tmp/x', fileMode: 420.5 }, 'fileMode'],
    ['a fileMode given as a string', { basePath: '/tmp/x', fileMode: '644' }, 'fileMode'],
    ['a directoryMode the owner cannot enter', { basePath: '/tmp/x', directoryMode: 0o655 }, 'directoryMode 0o655'],
    ['a fileMode the owner cannot write', { basePath: '/tmp/x', fileMode: 0o444 }, 'fileMode 0o444'],
    ['an unknown layout', { basePath: '/tmp/x', layout: 'nested' }, 'layout'],
    ['a durable flag that is not a boolean', { basePath: '/tmp/x', durable: 'yes' }, 'durable'],
  ];
  for (const [label, options, mention] of invalid) {
    it(`rejects ${label} with INVALID_CONFIG`, () => {
      const error = configError(options);
      expect(error).toMatchObject({ code: 'INVALID_CONFIG', operation: 'config', backend: 'filesystem' });
      expect((error as Error).message).toContain(mention);
    });
  }

  it('rejects no options at all with INVALID_CONFIG', () => {
    expect(configError(undefined)).toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('rejects a basePath that is an existing file with INVALID_CONFIG, without naming the path', async () => {
    const file = join(await temporaryDirectory(), 'a-file');
    await writeFile(file, 'not a directory');
    for (const basePath of [file, join(file, 'below')]) {
      const error = configError({ basePath });
      expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
      expect((error as Error).message).toContain('not a directory');
      expect((error as Error).message).not.toContain(file);
    }
  });
});

describe('the store it builds', () => {
  it('is named filesystem and declares streaming and key prefixes, and durable writes only when durable', async () => {
    const basePath = await temporaryDirectory();
    const plain = new FilesystemStore({ basePath });
    expect(plain.name).toBe('filesystem');
    expect(plain.capabilities).toEqual({ streaming: true, durableWrites: false, keyPrefixes: true });
    expect(Object.isFrozen(plain.capabilities)).toBe(true);
    expect(new FilesystemStore({ basePath, durable: true }).capabilities.durableWrites).toBe(true);
  });

  it('resolves a relative basePath against the working directory once, at construction', async () => {
    const basePath = await temporaryDirectory();
    const store = new FilesystemStore({ basePath: relative(process.cwd(), basePath) });
    expect(store.basePath).toBe(basePath);
    expect(store.layout).toBe('flat');
  });

  it('leaves the mode of an existing basePath alone', async () => {
    const basePath = join(await temporaryDirectory(), 'existing');
    await mkdir(basePath);
    await chmod(basePath, 0o711);
    new FilesystemStore({ basePath });
    expect(await modeOf(basePath)).toBe(0o711);
  });
});

describe('file and directory modes', () => {
  it('applies the configured modes to basePath, shard directories and blob files', async () => {
    const basePath = join(await temporaryDirectory(), 'private', 'blobs');
    const store = new FilesystemStore({ basePath, directoryMode: 0o700, fileMode: 0o600, layout: 'sharded' });
    const key = await store.put(new Uint8Array([1]));
    const streamed = await store.putStream(Readable.from([new Uint8Array([2])]));
    expect(await modeOf(join(basePath, '..'))).toBe(0o700);
    expect(await modeOf(basePath)).toBe(0o700);
    expect(await modeOf(join(basePath, key.slice(0, 2)))).toBe(0o700);
    expect(await modeOf(join(basePath, key.slice(0, 2), key))).toBe(0o600);
    expect(await modeOf(join(basePath, streamed.slice(0, 2), streamed))).toBe(0o600);
  });

  it('applies the default modes 0755 and 0644 exactly, whatever the process umask', async () => {
    const basePath = join(await temporaryDirectory(), 'blobs');
    const previousUmask = process.umask(0o077);
    let key: string, streamed: string;
    try {
      const store = new FilesystemStore({ basePath, layout: 'sharded' });
      key = await store.put(new Uint8Array([1]));
      streamed = await store.putStream(Readable.from([new Uint8Array([2])]));
    } finally {
      process.umask(previousUmask);
    }
    expect(await modeOf(basePath)).toBe(0o755);
    expect(await modeOf(join(basePath, key.slice(0, 2)))).toBe(0o755);
    expect(await modeOf(join(basePath, key.slice(0, 2), key))).toBe(0o644);
    expect(await modeOf(join(basePath, streamed.slice(0, 2), streamed))).toBe(0o644);
  });
});

describe('creating basePath', () => {
  it('fails fast with INVALID_CONFIG on a filesystem that refuses new directories, such as /proc', () => {
    // Node's recursive mkdir loops for ever on this path; the store must not.
    const error = configError({ basePath: '/proc/self/claimcheck-blobs' });
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', path: '/proc/self/claimcheck-blobs' });
    expect((error as Error).message).toContain('refuses new directories');
    expect((error as Error).message).not.toContain('/proc');
  });

  it('names the offending directory as the error’s path, never in its message', async () => {
    const file = join(await temporaryDirectory(), 'a-file');
    await writeFile(file, 'not a directory');
    const error = configError({ basePath: join(file, 'below', 'deeper') });
    expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
    expect((error as { path?: string }).path).toMatch(/a-file/);
    expect((error as Error).message).not.toContain(file);
  });
});
