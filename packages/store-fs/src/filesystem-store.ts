import type { ReadStream } from 'node:fs';
import { access, constants, lstat, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AbstractObjectStore, type BlobInfo, ClaimCheckError, type StoreCapabilities, type StoreOperation } from '@claimcheck/core';
import { abortedError, type OperationContext } from '@claimcheck/core/store-helpers';
import { type TempFile, writeAtomically } from './atomic-write.js';
import { createBasePath } from './base-path.js';
import { NotRegularFileError, openBlobFile, readBlobFile } from './blob-file.js';
import { writeBlobFile } from './blob-write.js';
import { type BlobEntry, blobFileName, BlobLayout, unprefixedKeyLength } from './blob-layout.js';
import { FileMode } from './file-mode.js';
import { backendName, errnoCode, filesystemError } from './filesystem-errors.js';
import { settleLayout } from './layout-marker.js';
import { OpenFileLimit } from './open-file-limit.js';
import { type FilesystemLayout, type FilesystemStoreOptions, resolveOptions } from './store-options.js';
import { assertSweepAge, type SweepOptions, type SweepReport, sweepLayout } from './sweep.js';

// getStream reads 1 MiB at a time: several times the throughput of the 64 KiB default, and still a
// small, fixed amount of memory per stream.
const streamChunkBytes = 1024 * 1024;

/**
 * An `ObjectStore` that keeps each blob as one file under `basePath`, named by its key's UUID, in
 * nested directories named by its key prefix. Writes go to a temp file that is renamed into place,
 * so a key never names a partial blob, even after a crash.
 */
export class FilesystemStore extends AbstractObjectStore {
  readonly name = backendName;
  readonly capabilities: StoreCapabilities;
  /** The absolute directory the blobs live in. */
  readonly basePath: string;
  /** How blobs are arranged under `basePath`. */
  readonly layout: FilesystemLayout;
  readonly #fileMode: FileMode;
  readonly #durable: boolean;
  readonly #blobs: BlobLayout;
  readonly #openFiles: OpenFileLimit;

  /**
   * Validates the options (`INVALID_CONFIG`) and creates `basePath` with any missing parents; a
   * failure names the directory as the error's `path`, never in its message.
   */
  constructor(options: FilesystemStoreOptions) {
    const { basePath, directoryMode, fileMode, durable, layout, maxOpenFiles, closeTimeoutMs, onWarning } = resolveOptions(options);
    super({ closeTimeoutMs, onWarning }, backendName);
    createBasePath(basePath, directoryMode);
    this.basePath = basePath;
    this.layout = settleLayout(basePath, layout, fileMode);
    this.#openFiles = new OpenFileLimit(maxOpenFiles);
    this.#fileMode = new FileMode(fileMode);
    this.#durable = durable;
    this.#blobs = new BlobLayout(basePath, this.layout, directoryMode, durable);
    this.capabilities = Object.freeze({ streaming: true, durableWrites: durable, keyPrefixes: true });
  }

  /** Writes the bytes to a new blob file; the bytes must not change until the returned promise settles. */
  protected _put(key: string, data: Uint8Array, operation: StoreOperation): Promise<void> {
    return this.#write(key, operation, (temp) => writeBlobFile(temp, data, operation.signal, operation));
  }

  /** Streams the source into a new blob file with bounded memory; a failed or aborted stream stores nothing. */
  protected _putStream(key: string, source: AsyncIterable<Uint8Array>, operation: StoreOperation): Promise<void> {
    return this.#write(key, operation, async ({ path, flags, mode, flush }) => {
      // Opened before the pipeline starts: a stream that opens lazily could create the temp file
      // after an abort's cleanup had already removed it, leaving it behind.
      const file = await open(path, flags, mode);
      // The pipeline settles once the file is written, flushed when durable, and closed.
      await pipeline(source, file.createWriteStream({ flush }), { signal: operation.signal });
    });
  }

  /** Reads the whole blob into a new buffer. */
  protected async _get(key: string, operation: StoreOperation): Promise<Uint8Array> {
    try {
      const path = await this.#pathOf(key, operation);
      return await this.#openFiles.run(operation, () => readBlobFile(path, operation.signal, operation));
    } catch (error) {
      throw await this.#readFailure(error, key, operation);
    }
  }

  /** Streams the blob from its file; rejects with `NOT_FOUND` before yielding when there is none. */
  protected async _getStream(key: string, operation: StoreOperation): Promise<AsyncIterable<Uint8Array>> {
    let path: string;
    try {
      path = await this.#pathOf(key, operation);
      if (!(await lstat(path)).isFile()) throw new NotRegularFileError();
    } catch (error) {
      throw await this.#readFailure(error, key, operation);
    }
    // The file is opened when reading starts, so a stream that is never read holds no descriptor.
    return this.#chunks(path, key, operation);
  }

  /** The blob file's size and modification time, from one `lstat`; nothing is opened. */
  protected override async _head(key: string, operation: StoreOperation): Promise<BlobInfo> {
    try {
      const stats = await lstat(await this.#pathOf(key, operation));
      if (!stats.isFile()) throw new NotRegularFileError();
      return { key, size: stats.size, lastModified: stats.mtime };
    } catch (error) {
      throw await this.#readFailure(error, key, operation);
    }
  }

  /** Removes the blob file; a missing blob is not an error. */
  protected async _delete(key: string, operation: StoreOperation): Promise<void> {
    const relative = this.#blobs.relativePath(key);
    try {
      await unlink(await this.#pathOf(key, operation));
    } catch (error) {
      // A missing blob is deleted already; a missing basePath is an outage, and reporting success
      // would let a caller forget a blob that is still there once the directory is back.
      if (errnoCode(error) === 'ENOENT' && (await this.#basePathExists())) return;
      if (errnoCode(error) === 'ENOENT') {
        throw filesystemError(error, operation, { what: 'basePath does not exist', missing: 'UNAVAILABLE', path: this.basePath });
      }
      throw filesystemError(error, operation, { what: `could not delete ${relative}`, path: join(this.basePath, relative) });
    }
  }

  /** Resolves when `basePath` exists, is a directory, and this process may create files in it. */
  protected async _health(operation: StoreOperation): Promise<void> {
    const path = this.basePath;
    try {
      if (!(await stat(path)).isDirectory()) {
        throw new ClaimCheckError({ ...operation, code: 'UNAVAILABLE', detail: 'basePath is not a directory', path });
      }
      await access(path, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw filesystemError(error, operation, { what: 'basePath is not usable', missing: 'UNAVAILABLE', path });
    }
  }

  /** Each blob file with its size and modification time (one `lstat` per blob); temp files and strays are skipped. */
  protected async *_listEntries(operation: StoreOperation): AsyncGenerator<BlobInfo> {
    for await (const { directory, name, key } of this.#blobFiles(operation)) {
      const path = join(directory, name);
      const stats = await lstat(path).catch((error: unknown) => {
        if (errnoCode(error) === 'ENOENT') return undefined;
        throw filesystemError(error, operation, { what: `could not stat ${this.#blobs.relativePath(key)}`, signal: operation.signal, path });
      });
      // Deleted between the directory read and the stat: no longer stored.
      if (stats?.isFile() !== true) continue;
      yield { key, size: stats.size, lastModified: stats.mtime };
    }
  }

  /**
   * Removes blobs and temp files last written more than `olderThan` milliseconds ago, and reports
   * what it removed. It never removes a temp file a put in this process is writing; see the README
   * for puts in other processes.
   */
  sweep(options: SweepOptions): Promise<SweepReport> {
    // Spread, so that a JavaScript caller who passes nothing gets INVALID_CONFIG rather than a TypeError.
    const { olderThan, signal }: Partial<SweepOptions> = { ...options };
    return this.operate('sweep', signal === undefined ? {} : { signal }, async (operation) => {
      assertSweepAge(olderThan, operation);
        try {
        return await this.#openFiles.run(operation, () =>
          sweepLayout(this.#blobs, olderThan, () => {
            if (operation.signal.aborted) throw abortedError(operation.signal, operation);
          }),
        );
      } catch (error) {
        throw filesystemError(error, operation, { what: 'could not sweep basePath', missing: 'UNAVAILABLE', signal: operation.signal, path: this.basePath });
      }
    });
  }

  async #write(key: string, operation: StoreOperation, write: (temp: TempFile) => Promise<void>): Promise<void> {
    const { signal } = operation;
    try {
      const directory = await this.#directoryOf(key, operation, { create: true });
      await this.#openFiles.run(operation, () => writeAtomically({
        directory,
        name: blobFileName(key),
        fileMode: this.#fileMode,
        durable: this.#durable,
        write,
        beforeRename: () => {
          if (signal.aborted) throw abortedError(signal, operation);
        },
      }));
    } catch (error) {
      const what = `could not write ${this.#blobs.relativePath(key)}`;
      // ENOENT with basePath in place: the temp file was removed under the write (another process's sweep).
      const missing = (await this.#basePathExists()) ? 'STORE_FAILURE' : 'UNAVAILABLE';
      throw filesystemError(error, operation, { what, missing, signal, path: join(this.basePath, this.#blobs.relativePath(key)) });
    }
  }

  async *#blobFiles(operation: StoreOperation): AsyncGenerator<BlobEntry & { kind: 'blob' }> {
    // A listing holds a directory open for as long as it runs.
    const release = await this.#openFiles.acquire(operation);
    try {
      for await (const entry of this.#blobs.entries()) {
        if (entry.kind === 'blob') yield entry;
      }
    } catch (error) {
      throw filesystemError(error, operation, { what: 'could not list basePath', missing: 'UNAVAILABLE', signal: operation.signal, path: this.basePath });
    } finally {
      release();
    }
  }

  async *#chunks(path: string, key: string, operation: StoreOperation): AsyncGenerator<Uint8Array> {
    let file: ReadStream | undefined;
    let release: (() => void) | undefined;
    try {
      // The descriptor is held from the first read until the stream ends.
      release = await this.#openFiles.acquire(operation);
      file = (await openBlobFile(path)).handle.createReadStream({ highWaterMark: streamChunkBytes });
      for await (const chunk of file) yield chunk as Buffer;
    } catch (error) {
      throw await this.#readFailure(error, key, operation);
    } finally {
      // Closes the file too, also when the consumer stops early.
      file?.destroy();
      release?.();
    }
  }

  // A string for a flat key without a prefix: awaiting it costs less than a promise from an async function.
  #pathOf(key: string, context: OperationContext): string | Promise<string> {
    const directory = this.#directoryOf(key, context, { create: false });
    return typeof directory === 'string' ? join(directory, key) : directory.then((found) => join(found, blobFileName(key)));
  }

  // The directory of a flat key without a prefix, basePath, without a call into the layout or a
  // system call: it is on every get's and put's path. Every other key's directories are checked.
  #directoryOf(key: string, context: OperationContext, options: { create: boolean }): string | Promise<string> {
    return this.layout === 'flat' && key.length === unprefixedKeyLength ? this.basePath : this.#blobs.directoryFor(key, context, options);
  }

  // ENOENT on a read is NOT_FOUND only while basePath exists; without it the store is UNAVAILABLE.
  async #readFailure(error: unknown, key: string, operation: StoreOperation) {
    const relative = this.#blobs.relativePath(key);
    const path = join(this.basePath, relative);
    // ELOOP is what O_NOFOLLOW reports for a symbolic link at the key's path.
    if (error instanceof NotRegularFileError || errnoCode(error) === 'ELOOP') {
      const detail = `${relative} is not a regular file; the store never follows a symbolic link`;
      return new ClaimCheckError({ ...operation, code: 'STORE_FAILURE', detail, cause: error, path });
    }
    if (errnoCode(error) === 'ENOENT' && !operation.signal.aborted) {
      if (await this.#basePathExists()) {
        return new ClaimCheckError({ ...operation, code: 'NOT_FOUND', detail: `key ${key} not found`, cause: error });
      }
      return filesystemError(error, operation, { what: 'basePath does not exist', missing: 'UNAVAILABLE', path: this.basePath });
    }
    return filesystemError(error, operation, { what: `could not read ${relative}`, signal: operation.signal, path });
  }

  async #basePathExists(): Promise<boolean> {
    return stat(this.basePath).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
  }
}
