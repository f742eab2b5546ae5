import { chmodSync, constants, createWriteStream, mkdirSync, type ReadStream } from 'node:fs';
import { access, lstat, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  assertBytes,
  assertStoreKey,
  beginOperation,
  type BlobInfo,
  type ByteStream,
  checkedChunks,
  ClaimCheckError,
  generateKey,
  type ObjectStore,
  type OperationContext,
  type OperationOptions,
  type StoreCapabilities,
  throwIfAborted,
} from '@claimcheck/core';
import { type TempFile, writeAtomically } from './atomic-write.js';
import { NotRegularFileError, openBlobFile, readBlobFile } from './blob-file.js';
import { type BlobEntry, BlobLayout } from './blob-layout.js';
import { FileMode } from './file-mode.js';
import { backendName, errnoCode, filesystemError } from './filesystem-errors.js';
import { type FilesystemLayout, type FilesystemStoreOptions, resolveOptions } from './store-options.js';
import { assertSweepAge, type SweepOptions, type SweepReport, sweepLayout } from './sweep.js';

// getStream reads 1 MiB at a time: several times the throughput of the 64 KiB default, and still a
// small, fixed amount of memory per stream.
const streamChunkBytes = 1024 * 1024;

/**
 * An `ObjectStore` that keeps each blob as one file under `basePath`, named by its key. Writes go
 * to a temp file that is renamed into place, so a key never names a partial blob, even after a crash.
 */
export class FilesystemStore implements ObjectStore {
  readonly name = backendName;
  readonly capabilities: StoreCapabilities;
  /** The absolute directory the blobs live in. */
  readonly basePath: string;
  /** How blobs are arranged under `basePath`. */
  readonly layout: FilesystemLayout;
  readonly #fileMode: FileMode;
  readonly #durable: boolean;
  readonly #blobs: BlobLayout;
  #closed = false;

  /**
   * Validates the options (`INVALID_CONFIG`) and creates `basePath` with any missing parents,
   * synchronously: a constructor cannot wait, and a store must be usable once it exists.
   */
  constructor(options: FilesystemStoreOptions) {
    const { basePath, directoryMode, fileMode, durable, layout } = resolveOptions(options);
    createBasePath(basePath, directoryMode);
    this.basePath = basePath;
    this.layout = layout;
    this.#fileMode = new FileMode(fileMode);
    this.#durable = durable;
    this.#blobs = new BlobLayout(basePath, layout, directoryMode, durable);
    this.capabilities = Object.freeze({ streaming: true, durableWrites: durable });
  }

  /** Writes the bytes to a new blob file; the bytes must not change until the returned promise settles. */
  async put(data: Uint8Array, options: OperationOptions = {}): Promise<string> {
    const context = this.#context('put');
    beginOperation(this.#closed, options.signal, context);
    assertBytes(data, context);
    const { signal } = options;
    return this.#write(context, signal, ({ path, flags, mode, flush }) => writeFile(path, data, { flag: flags, mode, flush, signal }));
  }

  /** Reads the whole blob into a new buffer. */
  async get(key: string, options: OperationOptions = {}): Promise<Uint8Array> {
    const context = this.#context('get');
    beginOperation(this.#closed, options.signal, context);
    assertStoreKey(key, context.operation, this.name);
    try {
      return await readBlobFile(await this.#pathOf(key, context), options.signal, context);
    } catch (error) {
      throw await this.#readFailure(error, key, context, options.signal);
    }
  }

  /** Removes the blob file; a missing blob is not an error. */
  async delete(key: string, options: OperationOptions = {}): Promise<void> {
    const context = this.#context('delete');
    beginOperation(this.#closed, options.signal, context);
    assertStoreKey(key, context.operation, this.name);
    try {
      await unlink(await this.#pathOf(key, context));
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return;
      throw filesystemError(error, context, { what: `could not delete ${this.#blobs.relativePath(key)}` });
    }
  }

  /** Resolves when `basePath` exists, is a directory, and this process may create files in it. */
  async health(options: OperationOptions = {}): Promise<void> {
    const context = this.#context('health');
    beginOperation(this.#closed, options.signal, context);
    try {
      if (!(await stat(this.basePath)).isDirectory()) {
        throw new ClaimCheckError({ ...context, code: 'UNAVAILABLE', detail: 'basePath is not a directory' });
      }
      await access(this.basePath, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw filesystemError(error, context, { what: 'basePath is not usable', missing: 'UNAVAILABLE' });
    }
  }

  /** Yields the key of every blob file, reading the directory in small batches; temp files and strays are skipped. */
  async *listKeys(options: OperationOptions = {}): AsyncGenerator<string> {
    for await (const { name } of this.#blobFiles(this.#context('listKeys'), options.signal)) yield name;
  }

  /** Like `listKeys`, with each blob file's size and modification time (one `lstat` per blob). */
  async *listEntries(options: OperationOptions = {}): AsyncGenerator<BlobInfo> {
    const context = this.#context('listEntries');
    for await (const { directory, name } of this.#blobFiles(context, options.signal)) {
      const stats = await lstat(join(directory, name)).catch((error: unknown) => {
        if (errnoCode(error) === 'ENOENT') return undefined;
        throw filesystemError(error, context, { what: `could not stat ${this.#blobs.relativePath(name)}`, signal: options.signal });
      });
      // Deleted between the directory read and the stat: no longer stored.
      if (stats?.isFile() !== true) continue;
      yield { key: name, size: stats.size, lastModified: stats.mtime };
    }
  }

  /** Streams the source into a new blob file with bounded memory; a failed or aborted stream stores nothing. */
  async putStream(source: ByteStream, options: OperationOptions = {}): Promise<string> {
    const context = this.#context('putStream');
    const { signal } = options;
    beginOperation(this.#closed, signal, context);
    return this.#write(context, signal, async ({ path, flags, mode, flush }) => {
      // The pipeline settles once the file is written, flushed when durable, and closed.
      const file = createWriteStream(path, { flags, mode, flush });
      await pipeline(checkedChunks(source, signal, context), file, signal === undefined ? {} : { signal });
    });
  }

  /** Streams the blob from its file; rejects with `NOT_FOUND` before yielding when there is none. */
  async getStream(key: string, options: OperationOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const context = this.#context('getStream');
    beginOperation(this.#closed, options.signal, context);
    assertStoreKey(key, context.operation, this.name);
    let path: string;
    try {
      path = await this.#pathOf(key, context);
      if (!(await lstat(path)).isFile()) throw new NotRegularFileError();
    } catch (error) {
      throw await this.#readFailure(error, key, context, options.signal);
    }
    // The file is opened when reading starts, so a stream that is never read holds no descriptor.
    return this.#chunks(path, key, context, options.signal);
  }

  /**
   * Removes blobs and temp files last written more than `olderThan` milliseconds ago, and reports
   * what it removed. It never removes a temp file a put in this process is writing; see the README
   * for puts in other processes.
   */
  async sweep(options: SweepOptions): Promise<SweepReport> {
    const context = this.#context('sweep');
    // Spread, so that a JavaScript caller who passes nothing gets INVALID_CONFIG rather than a TypeError.
    const { olderThan, signal }: Partial<SweepOptions> = { ...options };
    beginOperation(this.#closed, signal, context);
    assertSweepAge(olderThan, context);
    try {
      return await sweepLayout(this.#blobs, olderThan, () => {
        beginOperation(this.#closed, signal, context);
      });
    } catch (error) {
      throw filesystemError(error, context, { what: 'could not sweep basePath', missing: 'UNAVAILABLE', signal });
    }
  }

  /** Later operations reject with `CLOSED`; a put still in flight stores nothing. Files stay on disk. */
  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  async #write(context: OperationContext, signal: AbortSignal | undefined, write: (temp: TempFile) => Promise<void>) {
    const key = generateKey();
    try {
      await writeAtomically({
        directory: await this.#blobs.directoryFor(key, context, { create: true }),
        name: key,
        fileMode: this.#fileMode,
        durable: this.#durable,
        write,
        beforeRename: () => {
          beginOperation(this.#closed, signal, context);
        },
      });
    } catch (error) {
      // A missing directory means basePath itself is gone: the store cannot be used.
      throw filesystemError(error, context, { what: `could not write ${this.#blobs.relativePath(key)}`, missing: 'UNAVAILABLE', signal });
    }
    return key;
  }

  async *#blobFiles(context: OperationContext, signal: AbortSignal | undefined): AsyncGenerator<BlobEntry> {
    beginOperation(this.#closed, signal, context);
    try {
      for await (const entry of this.#blobs.entries()) {
        if (entry.kind !== 'blob') continue;
        beginOperation(this.#closed, signal, context);
        yield entry;
      }
    } catch (error) {
      throw filesystemError(error, context, { what: 'could not list basePath', missing: 'UNAVAILABLE', signal });
    }
  }

  async *#chunks(path: string, key: string, context: OperationContext, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
    let file: ReadStream | undefined;
    try {
      file = (await openBlobFile(path)).handle.createReadStream({ highWaterMark: streamChunkBytes });
      for await (const chunk of file) {
        throwIfAborted(signal, context);
        yield chunk as Buffer;
      }
    } catch (error) {
      throw await this.#readFailure(error, key, context, signal);
    } finally {
      // Closes the file too, also when the consumer stops early.
      file?.destroy();
    }
  }

  async #pathOf(key: string, context: OperationContext): Promise<string> {
    return join(await this.#blobs.directoryFor(key, context, { create: false }), key);
  }

  // ENOENT on a read is NOT_FOUND only while basePath exists; without it the store is UNAVAILABLE.
  async #readFailure(error: unknown, key: string, context: OperationContext, signal: AbortSignal | undefined) {
    const path = this.#blobs.relativePath(key);
    // ELOOP is what O_NOFOLLOW reports for a symbolic link at the key's path.
    if (error instanceof NotRegularFileError || errnoCode(error) === 'ELOOP') {
      const detail = `${path} is not a regular file; the store never follows a symbolic link`;
      return new ClaimCheckError({ ...context, code: 'STORE_FAILURE', detail, cause: error });
    }
    if (errnoCode(error) === 'ENOENT' && !signal?.aborted) {
      if (await this.#basePathExists()) {
        return new ClaimCheckError({ ...context, code: 'NOT_FOUND', detail: `key ${key} not found`, cause: error });
      }
      return filesystemError(error, context, { what: 'basePath does not exist', missing: 'UNAVAILABLE' });
    }
    return filesystemError(error, context, { what: `could not read ${path}`, signal });
  }

  async #basePathExists(): Promise<boolean> {
    return stat(this.basePath).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
  }

  #context(operation: string): OperationContext {
    return { operation, backend: this.name };
  }
}

// Creates basePath and its missing parents, each with exactly `mode` whatever the umask. A directory
// that already exists keeps its mode: it is the caller's.
function createBasePath(basePath: string, mode: number): void {
  const context = { operation: 'config', backend: backendName };
  try {
    const firstCreated = mkdirSync(basePath, { recursive: true, mode });
    if (firstCreated === undefined) return;
    for (let directory = basePath; ; directory = dirname(directory)) {
      chmodSync(directory, mode);
      if (directory === firstCreated || directory === dirname(directory)) break;
    }
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      const detail = 'basePath, or one of its parents, exists and is not a directory';
      throw new ClaimCheckError({ ...context, code: 'INVALID_CONFIG', detail, cause: error });
    }
    throw filesystemError(error, context, { what: 'could not create basePath' });
  }
}
