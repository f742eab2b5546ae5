import { type Dirent, opendirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

// The first decisive entry tells: a key-named file at the top is a flat blob (a sharded store keeps
// none there), a two-hex-digit directory a shard. Such a directory can also be a flat store's key
// prefix (`ab/<uuid>`), which shows when it holds a key of another shard; nothing else about it
// tells the two apart, and a store with prefixes has its marker anyway. Stops at the first decisive
// entry, so a directory of a million blobs costs a batch or two of entries.
function detectLayout(basePath: string): FilesystemLayout | undefined {
  return readFirstEntries(basePath, (entry) => {
    if (entry.isFile() && isStoreKey(entry.name)) return 'flat';
    if (entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name)) return holdsOtherShards(join(basePath, entry.name), entry.name) ? 'flat' : 'sharded';
    return undefined;
  });
}

// Whether the first batch of `directory` holds a key-named file that does not belong in shard `name`.
// A directory that cannot be read (removed meanwhile, not ours to read) shows nothing.
function holdsOtherShards(directory: string, name: string): boolean {
  try {
    const found = readFirstEntries(directory, (entry) => (entry.isFile() && isStoreKey(entry.name) && !entry.name.startsWith(name) ? 'flat' : undefined), detectionBatch);
    return found !== undefined;
  } catch {
    return false;
  }
}

const detectionBatch = 64;

// Reads `directory` until `decide` returns a layout (or, given `limit`, after that many entries).
function readFirstEntries(directory: string, decide: (entry: Dirent) => FilesystemLayout | undefined, limit = Infinity): FilesystemLayout | undefined {
  const handle = opendirSync(directory, { bufferSize: detectionBatch });
  try {
    let read = 0;
    for (let entry = handle.readSync(); entry !== null && read < limit; entry = handle.readSync(), read++) {
      const decided = decide(entry);
      if (decided !== undefined) return decided;
    }
    return undefined;
  } finally {
    handle.closeSync();
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
