import { rm, unlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type ErrorCode, generateKey } from '@claimcheck/core';
import { filesystemError } from '../src/filesystem-errors.js';
import { FilesystemStore } from '../src/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';
import { failure } from './support/failure.js';
import { heldStream, tempFilesUnder } from './support/held-stream.js';

async function drainKeys(store: FilesystemStore): Promise<void> {
  for await (const key of store.listKeys()) expect(key).toBeTypeOf('string');
}

describe('a basePath that has gone away', () => {
  it('makes every operation fail with UNAVAILABLE, never NOT_FOUND; delete too, so no caller forgets a blob that comes back with the directory', async () => {
    for (const layout of ['flat', 'sharded'] as const) {
      const store = new FilesystemStore({ basePath: await temporaryDirectory(), layout });
      const key = await store.put(new Uint8Array([1]));
      await rm(store.basePath, { recursive: true });
      const operations: [string, () => Promise<unknown>][] = [
        ['health', () => store.health()],
        ['get', () => store.get(key)],
        ['getStream', () => store.getStream(key)],
        ['put', () => store.put(new Uint8Array([1]))],
        ['putStream', () => store.putStream(Readable.from([new Uint8Array([1])]))],
        ['listKeys', () => drainKeys(store)],
        ['sweep', () => store.sweep({ olderThan: 0 })],
        ['delete', () => store.delete(key)],
      ];
      for (const [operation, action] of operations) {
        const error = await failure(action);
        expect(error, `${layout} ${operation}`).toMatchObject({ code: 'UNAVAILABLE', operation, backend: 'filesystem' });
        expect(error.message).toMatch(new RegExp(`^filesystem ${operation} failed: `));
        expect(error.message).not.toContain(store.basePath);
      }
    }
  });

  it('replaced by a file makes health fail with UNAVAILABLE', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    await rm(store.basePath, { recursive: true });
    await writeFile(store.basePath, 'not a directory');
    const error = await failure(() => store.health());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('not a directory');
    expect((await failure(() => store.get(generateKey()))).code).toBe('UNAVAILABLE');
  });

  it('keeps the original error as the cause', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    await rm(store.basePath, { recursive: true });
    const error = await failure(() => store.put(new Uint8Array([1])));
    expect(error.cause).toMatchObject({ code: 'ENOENT' });
  });
});

// A process running as root is never refused by file permissions, and a full disk cannot be made
// on demand, so these faults are built by hand: Node system errors as fs would throw them.
function systemError(code: string, description: string, syscall: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${description}, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });
}

describe('how filesystem errors are reported', () => {
  const context = { operation: 'put', backend: 'filesystem' };
  const cases: [string, string, ErrorCode][] = [
    ['EACCES', 'permission denied', 'UNAUTHORIZED'],
    ['EPERM', 'operation not permitted', 'UNAUTHORIZED'],
    ['EROFS', 'read-only file system', 'UNAVAILABLE'],
    ['ENOTDIR', 'not a directory', 'UNAVAILABLE'],
    ['ENOSPC', 'no space left on device', 'STORE_FAILURE'],
    ['EIO', 'i/o error', 'STORE_FAILURE'],
  ];
  for (const [errno, description, code] of cases) {
    it(`${errno} becomes ${code}, keeping the code and description but not the path`, () => {
      const original = systemError(errno, description, 'open', '/secret/place/.tmp-x');
      const error = filesystemError(original, context, { what: 'could not write 12/key' });
      expect(error).toMatchObject({ code, operation: 'put', backend: 'filesystem', cause: original });
      expect(error.message).toBe(`filesystem put failed: could not write 12/key: ${errno}: ${description} (open)`);
    });
  }

  it('ENOENT takes the code the operation gives it, STORE_FAILURE by default', () => {
    const original = systemError('ENOENT', 'no such file or directory', 'open', '/secret/x');
    expect(filesystemError(original, context, { what: 'x', missing: 'UNAVAILABLE' }).code).toBe('UNAVAILABLE');
    expect(filesystemError(original, context, { what: 'x' }).code).toBe('STORE_FAILURE');
  });

  it('any failure after the signal fired is ABORTED, and a claimcheck error passes through unchanged', () => {
    const original = systemError('EIO', 'i/o error', 'write', '/secret/x');
    const aborted = filesystemError(original, context, { what: 'x', signal: AbortSignal.abort() });
    expect(aborted.code).toBe('ABORTED');
    expect(filesystemError(aborted, context, { what: 'y' })).toBe(aborted);
  });
});

describe('a temp file removed under a put', () => {
  it('fails the put with STORE_FAILURE, not the UNAVAILABLE of a missing basePath, naming the blob path', async () => {
    const store = new FilesystemStore({ basePath: await temporaryDirectory() });
    const held = heldStream(new Uint8Array(10), new Uint8Array(10));
    const put = store.putStream(held.stream).catch((error: unknown) => error);
    // Another process's sweep removes the temp file while the put is still writing it.
    let temps: string[] = [];
    while (temps.length === 0) temps = await tempFilesUnder(store.basePath);
    for (const temp of temps) await unlink(temp);
    held.release();
    const error = await put;
    expect(error).toMatchObject({ code: 'STORE_FAILURE' });
    expect((error as { path?: string }).path?.startsWith(store.basePath)).toBe(true);
    await store.close();
  });
});
