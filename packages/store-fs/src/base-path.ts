import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClaimCheckError } from '@claimcheck/core';
import { backendName, errnoCode, filesystemError } from './filesystem-errors.js';

/**
 * Creates basePath and its missing parents, each with exactly `mode` whatever the umask; a directory
 * that already exists keeps its mode: it is the caller's. One level at a time, so it ends after at
 * most one system call per path component: Node's recursive mkdir loops for ever, at full CPU and
 * deaf to Ctrl-C, on paths such as `/proc/self/blobs`, whose parent exists but refuses the child.
 * Synchronous, because a store must be usable once its constructor returns.
 */
export function createBasePath(basePath: string, mode: number): void {
  const missing: string[] = [];
  for (let directory = basePath; ; directory = dirname(directory)) {
    const existing = statOrUndefined(directory);
    if (existing?.isDirectory() === true) break;
    if (existing !== undefined) {
      const detail = 'basePath, or one of its parents, exists and is not a directory';
      throw new ClaimCheckError({ ...context, code: 'INVALID_CONFIG', detail, path: directory });
    }
    missing.unshift(directory);
    if (directory === dirname(directory)) break;
  }
  for (const directory of missing) {
    try {
      mkdirSync(directory, { mode });
      chmodSync(directory, mode);
    } catch (error) {
      // Another process created it meanwhile: fine.
      if (errnoCode(error) === 'EEXIST' && statOrUndefined(directory)?.isDirectory() === true) continue;
      // ENOENT although the parent is there: a filesystem such as /proc that takes no directories of ours.
      const refused = errnoCode(error) === 'ENOENT';
      const what = refused ? 'cannot create basePath: its filesystem refuses new directories' : 'could not create basePath';
      throw filesystemError(error, context, { what, path: directory, ...(refused ? { missing: 'INVALID_CONFIG' as const } : {}) });
    }
  }
}

const context = { operation: 'config', backend: backendName };

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    if (errnoCode(error) === 'ENOTDIR') {
      const detail = 'basePath, or one of its parents, exists and is not a directory';
      throw new ClaimCheckError({ ...context, code: 'INVALID_CONFIG', detail, path, cause: error });
    }
    throw filesystemError(error, context, { what: 'could not look at basePath or one of its parents', path });
  }
}
