import { homedir } from 'node:os';
import { join } from 'node:path';
import { defineStoreProvider, storeBaseOptions } from '@claimcheck/core';
import { FilesystemStore } from './filesystem-store.js';
import { backendName } from './filesystem-errors.js';
import { defaults, layouts, type FilesystemStoreOptions } from './store-options.js';

/** What the provider takes: a `FilesystemStore`'s options, with `basePath` defaulting as in the origin. */
export type FilesystemProviderOptions = Omit<FilesystemStoreOptions, 'basePath'> & { basePath?: string | undefined };

/** Where blobs live when no `basePath` (`BLOB_STORAGE_PATH`) is given, as in the origin. */
export function defaultBasePath(): string {
  return join(homedir(), '.claimcheck', 'data', 'blobs');
}

/**
 * The filesystem store's provider: `BLOB_STORAGE_TYPE=filesystem` (or `fs`) selects it, and every
 * option of `FilesystemStore` is described here once, with its environment variable.
 */
export const storeProvider = defineStoreProvider<FilesystemProviderOptions>({
  name: backendName,
  aliases: ['fs'],
  options: [
    {
      name: 'basePath',
      type: 'string',
      env: 'BLOB_STORAGE_PATH',
      default: '~/.claimcheck/data/blobs',
      location: true,
      doc: 'the directory the blobs live in, created with its parents; relative paths are resolved once (`new FilesystemStore` requires it)',
    },
    {
      name: 'layout',
      type: 'string',
      env: 'BLOB_STORAGE_LAYOUT',
      choices: layouts,
      doc: '`flat` or `sharded` (256 subdirectories); unset, the layout `basePath` already holds, else `flat`; set, it must agree',
    },
    {
      name: 'durable',
      type: 'boolean',
      env: 'BLOB_STORAGE_DURABLE',
      default: defaults.durable,
      doc: 'fsync each blob and its directory before `put` and `putStream` resolve',
    },
    {
      name: 'maxOpenFiles',
      type: 'integer',
      env: 'BLOB_STORAGE_MAX_OPEN_FILES',
      default: defaults.maxOpenFiles,
      doc: 'most file descriptors the store holds at once; a burst beyond it waits its turn instead of failing with `EMFILE`',
    },
    {
      name: 'directoryMode',
      type: 'integer',
      env: 'BLOB_STORAGE_DIRECTORY_MODE',
      octal: true,
      default: defaults.directoryMode,
      doc: 'mode of every directory the store creates (`basePath`, its missing parents, prefix and shard directories), whatever the umask',
    },
    {
      name: 'fileMode',
      type: 'integer',
      env: 'BLOB_STORAGE_FILE_MODE',
      octal: true,
      default: defaults.fileMode,
      doc: 'mode of every blob file, whatever the umask',
    },
    ...storeBaseOptions('BLOB_STORAGE_'),
  ],
  create: ({ basePath, ...options }) => new FilesystemStore({ ...options, basePath: basePath ?? defaultBasePath() }),
});
