import { chmod, lstat, mkdir, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClaimCheckError, isStoreKey } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';
import { directorySyncs } from './directory-sync.js';
import { errnoCode } from './filesystem-errors.js';
import type { FilesystemLayout } from './store-options.js';
import { isTempFileName } from './temp-files.js';

/** A file the store owns, found by walking the layout. */
export interface BlobEntry {
  /** The absolute directory the file is in. */
  directory: string;
  /** The file name: a key for a blob, a temp file name for a write in progress or left by a crash. */
  name: string;
  kind: 'blob' | 'temp';
}

// Shard directories are named by the first two characters of a key, which are lowercase hex.
const shardPattern = /^[0-9a-f]{2}$/;
// Entries read from the directory per system call: a bounded batch, never the whole directory.
const directoryBatch = 128;

/**
 * Where blobs live under basePath. `flat`: `<basePath>/<key>`. `sharded`: `<basePath>/<ab>/<key>`,
 * where `ab` is the key's first two characters, so no directory holds more than 1/256 of the blobs.
 */
export class BlobLayout {
  readonly #basePath: string;
  readonly #layout: FilesystemLayout;
  readonly #directoryMode: number;
  readonly #durable: boolean;

  /** `durable`: a shard directory created for a put is synced into basePath before the put goes on. */
  constructor(basePath: string, layout: FilesystemLayout, directoryMode: number, durable: boolean) {
    this.#basePath = basePath;
    this.#layout = layout;
    this.#directoryMode = directoryMode;
    this.#durable = durable;
  }

  /** The key's file relative to basePath, as error messages show it. */
  relativePath(key: string): string {
    return this.#layout === 'flat' ? key : `${key.slice(0, 2)}/${key}`;
  }

  /**
   * The directory that holds (or will hold) the key's blob. A shard directory must be a real
   * directory: a symbolic link planted in its place could lead outside basePath, so it is refused.
   * A missing shard directory is created when `create` is set; otherwise its ENOENT is thrown.
   */
  async directoryFor(key: string, context: OperationContext, { create }: { create: boolean }): Promise<string> {
    if (this.#layout === 'flat') return this.#basePath;
    const shard = key.slice(0, 2);
    const directory = join(this.#basePath, shard);
    try {
      await this.#assertRealDirectory(directory, shard, context);
    } catch (error) {
      if (!create || errnoCode(error) !== 'ENOENT') throw error;
      await this.#createShard(directory, shard, context);
    }
    return directory;
  }

  /** Every blob and temp file of this layout, read lazily in small batches. Other files are not the store's. */
  async *entries(): AsyncGenerator<BlobEntry> {
    if (this.#layout === 'flat') {
      yield* filesIn(this.#basePath, '');
      return;
    }
    for await (const entry of await opendir(this.#basePath, { bufferSize: directoryBatch })) {
      // A symbolic link is not a directory here: shards are never followed out of basePath.
      if (entry.isDirectory() && shardPattern.test(entry.name)) {
        yield* filesIn(join(this.#basePath, entry.name), entry.name);
      }
    }
  }

  async #createShard(directory: string, shard: string, context: OperationContext): Promise<void> {
    try {
      await mkdir(directory, { mode: this.#directoryMode });
      // mkdir applies the umask to the mode; chmod applies it exactly.
      await chmod(directory, this.#directoryMode);
      // A durable blob is only as durable as the directory entry of its shard.
      // Shared with other puts creating shards at the same moment, as blob renames share theirs.
      if (this.#durable) await directorySyncs.commit(this.#basePath);
    } catch (error) {
      // Another put created it first: fine, as long as what it created is a directory.
      if (errnoCode(error) !== 'EEXIST') throw error;
      await this.#assertRealDirectory(directory, shard, context);
    }
  }

  async #assertRealDirectory(directory: string, shard: string, context: OperationContext): Promise<void> {
    if ((await lstat(directory)).isDirectory()) return;
    throw new ClaimCheckError({
      ...context,
      code: 'STORE_FAILURE',
      detail: `shard ${shard} is not a directory; the store never follows a symbolic link out of basePath`,
    });
  }
}

// The blobs of one directory: regular files named by a key of this shard, and temp files.
async function* filesIn(directory: string, shard: string): AsyncGenerator<BlobEntry> {
  let entries;
  try {
    entries = await opendir(directory, { bufferSize: directoryBatch });
  } catch (error) {
    // A shard removed while the listing ran holds nothing; a missing basePath is the caller's to report.
    if (shard !== '' && errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  for await (const entry of entries) {
    if (!entry.isFile()) continue;
    if (isStoreKey(entry.name) && entry.name.startsWith(shard)) yield { directory, name: entry.name, kind: 'blob' };
    else if (isTempFileName(entry.name)) yield { directory, name: entry.name, kind: 'temp' };
  }
}
