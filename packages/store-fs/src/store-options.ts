import { resolve } from 'node:path';
import { ClaimCheckError, type StoreBaseOptions } from '@claimcheck/core';

/** How blobs are arranged under `basePath`: `flat` puts every blob in it, `sharded` in 256 subdirectories. */
export type FilesystemLayout = 'flat' | 'sharded';

/** Configuration of a `FilesystemStore`. */
export interface FilesystemStoreOptions extends StoreBaseOptions {
  /** The directory the blobs live in; it and any missing parents are created. Required. */
  basePath: string;
  /** Mode of each directory the store creates (basePath, its missing parents, prefix and shard directories). Default `0o755`. */
  directoryMode?: number;
  /** Mode of each blob file. Default `0o644`. */
  fileMode?: number;
  /** Whether `put` and `putStream` fsync the blob and its directory before they resolve. Default `false`. */
  durable?: boolean;
  /**
   * `flat`: `<basePath>/<key>`; `sharded`: `<basePath>/<first two characters of key>/<key>`. Left
   * out, the store uses the layout `basePath` already holds, else `flat`; given, it must agree.
   */
  layout?: FilesystemLayout | undefined;
  /** Most file descriptors the store holds open at once; a burst beyond waits its turn. Default 128. */
  maxOpenFiles?: number | undefined;
}

/** The options with defaults applied and `basePath` made absolute. */
export interface ResolvedOptions {
  readonly basePath: string;
  readonly directoryMode: number;
  readonly fileMode: number;
  readonly durable: boolean;
  /** What the caller asked for; the store settles it against what basePath holds. */
  readonly layout: FilesystemLayout | undefined;
  readonly maxOpenFiles: number;
  readonly closeTimeoutMs?: number | undefined;
  readonly onWarning?: StoreBaseOptions['onWarning'];
}

/** The layouts, as options and `BLOB_STORAGE_LAYOUT` name them. */
export const layouts: readonly FilesystemLayout[] = ['flat', 'sharded'];

/** The defaults `resolveOptions` applies, also shown in the provider's descriptions. */
export const defaults = { directoryMode: 0o755, fileMode: 0o644, durable: false, maxOpenFiles: 128 } as const;

/** Validates the options and applies the defaults; throws `INVALID_CONFIG` naming the bad option. */
export function resolveOptions(options: FilesystemStoreOptions): ResolvedOptions {
  // Callers in plain JavaScript can pass anything, so every field is checked as `unknown`.
  const raw: unknown = options;
  const given = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const {
    basePath,
    directoryMode = defaults.directoryMode,
    fileMode = defaults.fileMode,
    durable = defaults.durable,
    layout,
    maxOpenFiles = defaults.maxOpenFiles,
    closeTimeoutMs,
    onWarning,
  } = given;
  if (typeof basePath !== 'string' || basePath.length === 0) {
    throw invalidConfig('base path is required: basePath must be a non-empty string');
  }
  if (basePath.includes('\0')) throw invalidConfig('basePath must not contain a NUL character');
  // A store that cannot read, write or enter what it creates would fail on first use; say so now.
  checkMode('directoryMode', directoryMode, 0o700);
  checkMode('fileMode', fileMode, 0o600);
  if (typeof durable !== 'boolean') throw invalidConfig('durable must be a boolean');
  if (layout !== undefined && !(layouts as readonly unknown[]).includes(layout)) {
    throw invalidConfig(`layout must be 'flat' or 'sharded', got ${JSON.stringify(layout)}`);
  }
  return {
    basePath: resolve(basePath),
    directoryMode: directoryMode as number,
    fileMode: fileMode as number,
    durable,
    layout: layout as FilesystemLayout | undefined,
    maxOpenFiles: checkOpenFiles(maxOpenFiles),
    // The base checks these two.
    closeTimeoutMs: closeTimeoutMs as number | undefined,
    onWarning: onWarning as StoreBaseOptions['onWarning'],
  };
}

function checkOpenFiles(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw invalidConfig(`maxOpenFiles must be a whole number of at least 1, got ${JSON.stringify(value)}`);
}

function checkMode(name: string, mode: unknown, ownerBits: number): void {
  if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw invalidConfig(`${name} must be an integer permission mode between 0o000 and 0o777`);
  }
  if ((mode & ownerBits) !== ownerBits) {
    throw invalidConfig(`${name} 0o${mode.toString(8)} must grant the owner 0o${ownerBits.toString(8)}`);
  }
}

function invalidConfig(detail: string): ClaimCheckError {
  return new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend: 'filesystem', detail });
}
