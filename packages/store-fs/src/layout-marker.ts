import { opendirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaimCheckError, isStoreKey } from '@claimcheck/core';
import { backendName, errnoCode, filesystemError } from './filesystem-errors.js';
import type { FilesystemLayout } from './store-options.js';

/** The file in basePath that says how the store under it is laid out; never a key, so never listed. */
export const markerFileName = '.claimcheck-store.json';

const context = { operation: 'config', backend: backendName };

/**
 * The layout of the store in `basePath`: what its marker file says, else what its contents show
 * (pre-marker stores), else `requested ?? 'flat'`. A `requested` layout that disagrees with the
 * store's is `INVALID_CONFIG` naming both, since opening it so would read every blob as `NOT_FOUND`.
 * Writes the marker when it is missing, so that the directory describes itself from then on.
 */
export function settleLayout(basePath: string, requested: FilesystemLayout | undefined, fileMode: number): FilesystemLayout {
  const recorded = readMarker(basePath);
  const found = recorded ?? detectLayout(basePath);
  if (found !== undefined && requested !== undefined && found !== requested) {
    const detail = `basePath holds a ${found} store; open it with layout '${found}', or leave layout out to use what it holds`;
    throw new ClaimCheckError({ ...context, code: 'INVALID_CONFIG', detail, path: basePath });
  }
  const layout = found ?? requested ?? 'flat';
  if (recorded === undefined) writeMarker(basePath, layout, fileMode);
  return layout;
}

function readMarker(basePath: string): FilesystemLayout | undefined {
  const path = join(basePath, markerFileName);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw filesystemError(error, context, { what: `could not read ${markerFileName}`, path });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ClaimCheckError({ ...context, code: 'INVALID_CONFIG', detail: `${markerFileName} is not JSON`, path, cause: error });
  }
  const layout = (parsed as { layout?: unknown } | null)?.layout;
  if (layout === 'flat' || layout === 'sharded') return layout;
  throw new ClaimCheckError({ ...context, code: 'INVALID_CONFIG', detail: `${markerFileName} names no layout`, path });
}

// The first decisive entry tells: a key-named file at the top is a flat blob, a two-hex-digit
// directory a shard. Stops there, so a directory of a million blobs costs one batch of entries.
function detectLayout(basePath: string): FilesystemLayout | undefined {
  const directory = opendirSync(basePath, { bufferSize: 64 });
  try {
    for (let entry = directory.readSync(); entry !== null; entry = directory.readSync()) {
      if (entry.isFile() && isStoreKey(entry.name)) return 'flat';
      if (entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name)) return 'sharded';
    }
    return undefined;
  } finally {
    directory.closeSync();
  }
}

// Written to a temp name and renamed, so a reader never sees half a marker. A basePath this process
// may not write to (a read-only mount shared with writers) keeps working without one.
function writeMarker(basePath: string, layout: FilesystemLayout, mode: number): void {
  const path = join(basePath, markerFileName);
  const temp = `${path}.${String(process.pid)}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify({ layout })}\n`, { mode, flag: 'w' });
    renameSync(temp, path);
  } catch (error) {
    if (['EACCES', 'EPERM', 'EROFS'].includes(errnoCode(error) ?? '')) return;
    throw filesystemError(error, context, { what: `could not write ${markerFileName}`, path });
  }
}
