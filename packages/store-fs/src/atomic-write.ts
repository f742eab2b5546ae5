import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type DirectorySyncs, directorySyncs } from './directory-sync.js';
import type { FileMode } from './file-mode.js';
import { claimTempFile, releaseTempFile, tempFileName } from './temp-files.js';

/** How a writer must create the temp file: exclusively, with this mode, flushed before close when durable. */
export interface TempFile {
  readonly path: string;
  /** 'wx': fail rather than write through anything already at the path, a planted symbolic link included. */
  readonly flags: 'wx';
  readonly mode: number;
  /** fsync the file before closing it. */
  readonly flush: boolean;
}

/** Where and how `writeAtomically` writes one blob. */
export interface AtomicWrite {
  /** The directory of the blob; the temp file is created in it too, so the rename never crosses filesystems. */
  directory: string;
  /** The blob's file name: its key. */
  name: string;
  /** The blob file's mode, applied exactly whatever the process umask. */
  fileMode: FileMode;
  /** fsync the file before the rename and the directory after it (a sync shared with concurrent puts). */
  durable: boolean;
  /** Creates the temp file as `temp` says, writes the bytes and closes it. */
  write: (temp: TempFile) => Promise<void>;
  /** Runs just before the rename; throwing here (closed store, aborted signal) stores nothing. */
  beforeRename: () => void;
  /** The group commit whose directory sync the put joins: the process's own unless a test counts syncs. */
  syncs?: DirectorySyncs;
}

/**
 * Writes a blob to a temp file in its own directory and renames it into place, so that the blob's
 * name only ever points at complete bytes: a crash leaves at most a temp file, never a partial blob.
 * On any failure the temp file is removed and nothing is stored.
 */
export async function writeAtomically({ directory, name, fileMode, durable, write, beforeRename, syncs = directorySyncs }: AtomicWrite): Promise<void> {
  const tempName = tempFileName();
  const temp: TempFile = { path: join(directory, tempName), flags: 'wx', mode: fileMode.mode, flush: durable };
  const blobPath = join(directory, name);
  claimTempFile(tempName);
  let renamed = false;
  try {
    await write(temp);
    // Creating a file applies the umask to its mode; this undoes that.
    await fileMode.apply(temp.path);
    beforeRename();
    await rename(temp.path, blobPath);
    renamed = true;
    // Shared with the other durable puts into this directory: one fsync covers every rename before it.
    if (durable) await syncs.commit(directory);
  } catch (error) {
    // A blob whose directory could not be synced was never promised to the caller: remove it too.
    await unlink(renamed ? blobPath : temp.path).catch(ignore);
    throw error;
  } finally {
    releaseTempFile(tempName);
  }
}

// Cleanup after a failure is best effort: the original failure is the one to report.
function ignore(): void {
  // nothing to do
}
