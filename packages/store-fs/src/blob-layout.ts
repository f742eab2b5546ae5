import { chmod, lstat, mkdir, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClaimCheckError, isKeyPrefix, isStoreKey } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';
import { directorySyncs } from './directory-sync.js';
import { errnoCode } from './filesystem-errors.js';
import type { FilesystemLayout } from './store-options.js';
import { isTempFileName } from './temp-files.js';

/** A file the store owns, found by walking the layout. */
export type BlobEntry =
  /** A blob: `name` is its file name (the key's UUID), `key` its whole key, prefix included. */
  | { directory: string; name: string; kind: 'blob'; key: string }
  /** A temp file: a write in progress, or one left by a crash. */
  | { directory: string; name: string; kind: 'temp' };

/** The length of a key without a prefix: a UUID, which is also every blob file's name. */
export const unprefixedKeyLength = 36;

/** The blob file's name: the key's UUID, after its prefix if it has one. */
export function blobFileName(key: string): string {
  return key.length === unprefixedKeyLength ? key : key.slice(-unprefixedKeyLength);
}

// Shard directories are named by the first two characters of a key's UUID, which are lowercase hex.
const shardPattern = /^[0-9a-f]{2}$/;
// Entries read from the directory per system call: a bounded batch, never the whole directory.
const directoryBatch = 128;

/**
 * Where blobs live under basePath. A key's prefix segments are nested directories, then:
 * `flat`: `<basePath>/<prefix…>/<uuid>`. `sharded`: `<basePath>/<prefix…>/<ab>/<uuid>`, where `ab` is
 * the UUID's first two characters, so no directory holds more than 1/256 of a prefix's blobs. A key
 * without a prefix is where it always was: `<basePath>/<uuid>` or `<basePath>/<ab>/<uuid>`.
 */
export class BlobLayout {
  readonly #basePath: string;
  readonly #layout: FilesystemLayout;
  readonly #directoryMode: number;
  readonly #durable: boolean;
  // Directories a put of this store is creating (and, when durable, syncing into their parent): a
  // put that finds one already there waits for its creator, so that it never resolves first.
  // Each resolves to false when the directory turned out to exist already (made by another process).
  readonly #creating = new Map<string, Promise<boolean>>();

  /** `durable`: a directory created for a put is synced into its parent before the put goes on. */
  constructor(basePath: string, layout: FilesystemLayout, directoryMode: number, durable: boolean) {
    this.#basePath = basePath;
    this.#layout = layout;
    this.#directoryMode = directoryMode;
    this.#durable = durable;
  }

  /** The key's file relative to basePath, as error messages show it. */
  relativePath(key: string): string {
    if (this.#layout === 'flat') return key;
    const uuidStart = key.length - unprefixedKeyLength;
    return `${key.slice(0, uuidStart)}${key.slice(uuidStart, uuidStart + 2)}/${key.slice(uuidStart)}`;
  }

  /**
   * The directory that holds (or will hold) the key's blob. Each directory on the way must be a real
   * directory: a symbolic link planted in place of one could lead outside basePath, so it is refused.
   * Missing directories are created when `create` is set; otherwise the first one's ENOENT is thrown.
   */
  async directoryFor(key: string, context: OperationContext, { create }: { create: boolean }): Promise<string> {
    const segments = this.#directorySegments(key);
    if (segments.length === 0) return this.#basePath;
    const paths: string[] = [];
    for (const segment of segments) paths.push(join(paths.at(-1) ?? this.#basePath, segment));
    const missing = await this.#firstMissing(paths, segments, context);
    if (missing !== undefined) {
      if (!create) throw missing.error;
      for (let index = missing.index; index < paths.length; index++) await this.#create(paths, index, segments, context);
    }
    // Found in place, but maybe still being synced into its parent by another put of this store.
    if (this.#creating.size > 0) {
      for (const path of paths) {
        const creating = this.#creating.get(path);
        if (creating !== undefined) await creating;
      }
    }
    return paths[paths.length - 1] ?? this.#basePath;
  }

  /**
   * Every blob and temp file of this layout, read lazily in small batches, depth first: at most one
   * open directory per level (a prefix's 8 segments and a shard). Other files, directories whose
   * names are not key segments, and symbolic links are not the store's, and are skipped.
   */
  entries(): AsyncGenerator<BlobEntry> {
    return this.#walk(this.#basePath, []);
  }

  // The directories between basePath and the key's file: its prefix segments, then its shard.
  #directorySegments(key: string): string[] {
    const uuidStart = key.length - unprefixedKeyLength;
    const segments = uuidStart === 0 ? [] : key.slice(0, uuidStart - 1).split('/');
    if (this.#layout === 'sharded') segments.push(key.slice(uuidStart, uuidStart + 2));
    return segments;
  }

  // All lstat'ed at once; the first that is missing, or undefined when every one is a real directory.
  async #firstMissing(paths: string[], segments: string[], context: OperationContext): Promise<{ index: number; error: unknown } | undefined> {
    const found = await Promise.allSettled(paths.map((path) => lstat(path)));
    for (const [index, result] of found.entries()) {
      if (result.status === 'fulfilled') {
        if (result.value.isDirectory()) continue;
        throw this.#notADirectory(segments, index, context);
      }
      if (errnoCode(result.reason) === 'ENOENT') return { index, error: result.reason };
      throw result.reason;
    }
    return undefined;
  }

  // One creation per directory, shared by the puts of this store that need it at the same moment.
  async #create(paths: string[], index: number, segments: string[], context: OperationContext): Promise<void> {
    const path = paths[index] ?? this.#basePath;
    let creating = this.#creating.get(path);
    if (creating === undefined) {
      creating = this.#mkdir(path, paths[index - 1] ?? this.#basePath).finally(() => this.#creating.delete(path));
      this.#creating.set(path, creating);
    }
    // Another store or process created it first: fine, as long as what it created is a directory.
    if (!(await creating) && !(await lstat(path)).isDirectory()) throw this.#notADirectory(segments, index, context);
  }

  // False when something was at `path` already; true once the directory is made (and synced into its parent).
  async #mkdir(path: string, parent: string): Promise<boolean> {
    try {
      await mkdir(path, { mode: this.#directoryMode });
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') return false;
      throw error;
    }
    // mkdir applies the umask to the mode; chmod applies it exactly.
    await chmod(path, this.#directoryMode);
    // A durable blob is only as durable as the directory entries that lead to it. The new directory
    // itself is synced by whatever goes into it next: the directory below, or the blob's rename.
    // Shared with other puts creating directories in the same parent, as blob renames share theirs.
    if (this.#durable) await directorySyncs.commit(parent);
    return true;
  }

  #notADirectory(segments: string[], index: number, context: OperationContext): ClaimCheckError {
    const relative = segments.slice(0, index + 1).join('/');
    const what = this.#layout === 'sharded' && index === segments.length - 1 ? 'shard' : 'directory';
    return new ClaimCheckError({
      ...context,
      code: 'STORE_FAILURE',
      detail: `${what} ${relative} is not a directory; the store never follows a symbolic link out of basePath`,
    });
  }

  // `segments`: the directories from basePath down to `directory`.
  async *#walk(directory: string, segments: readonly string[]): AsyncGenerator<BlobEntry> {
    let entries;
    try {
      entries = await opendir(directory, { bufferSize: directoryBatch });
    } catch (error) {
      // A directory removed while the listing ran holds nothing; a missing basePath is the caller's to report.
      if (segments.length > 0 && errnoCode(error) === 'ENOENT') return;
      throw error;
    }
    const holdsBlobs = this.#layout === 'flat' || shardPattern.test(segments.at(-1) ?? '');
    for await (const entry of entries) {
      if (entry.isFile()) {
        if (!holdsBlobs) continue;
        const key = this.#keyOf(segments, entry.name);
        if (key !== undefined) yield { directory, name: entry.name, kind: 'blob', key };
        else if (isTempFileName(entry.name)) yield { directory, name: entry.name, kind: 'temp' };
      } else if (entry.isDirectory()) {
        // A symbolic link is neither a file nor a directory here: it is never followed out of basePath.
        const below = [...segments, entry.name];
        if (this.#mayLeadToBlobs(below)) yield* this.#walk(join(directory, entry.name), below);
      }
    }
  }

  // The key of a file found under `segments`, or undefined when no key of this layout is stored there.
  #keyOf(segments: readonly string[], name: string): string | undefined {
    if (segments.length === 0) return this.#layout === 'flat' && isStoreKey(name) ? name : undefined;
    if (this.#layout === 'flat') {
      const key = `${segments.join('/')}/${name}`;
      return isStoreKey(key) ? key : undefined;
    }
    // Sharded: the last directory is the shard, and must be the one the UUID belongs in.
    if (!name.startsWith(segments[segments.length - 1] ?? '')) return undefined;
    const key = segments.length === 1 ? name : `${segments.slice(0, -1).join('/')}/${name}`;
    return isStoreKey(key) ? key : undefined;
  }

  // Whether a directory at `segments` is a key prefix, or (sharded) a prefix's shard: nothing deeper can hold blobs.
  #mayLeadToBlobs(segments: readonly string[]): boolean {
    if (isKeyPrefix(segments.join('/'))) return true;
    if (this.#layout === 'flat' || !shardPattern.test(segments[segments.length - 1] ?? '')) return false;
    return segments.length === 1 || isKeyPrefix(segments.slice(0, -1).join('/'));
  }
}
