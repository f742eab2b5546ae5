import { lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ClaimCheckError } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';
import type { BlobLayout } from './blob-layout.js';
import { errnoCode } from './filesystem-errors.js';
import { isTempFileInFlight } from './temp-files.js';

/** What `sweep` removes. */
export interface SweepOptions {
  /** Remove blobs and temp files last written more than this many milliseconds ago. */
  olderThan: number;
  /** Stops the sweep between files; it then rejects with `ABORTED`, keeping what it already removed removed. */
  signal?: AbortSignal;
}

/** What one sweep removed. */
export interface SweepReport {
  /** Blobs removed: their keys now get `NOT_FOUND`. */
  removedBlobs: number;
  /** Temp files removed: leftovers of writes that crashed or were killed. */
  removedTempFiles: number;
  /** The sizes of every removed file, added up. */
  bytesFreed: number;
}

/** Checks `olderThan` before the sweep touches anything. */
export function assertSweepAge(olderThan: unknown, context: OperationContext): asserts olderThan is number {
  if (typeof olderThan === 'number' && Number.isFinite(olderThan) && olderThan >= 0) return;
  throw new ClaimCheckError({
    ...context,
    code: 'INVALID_CONFIG',
    detail: 'olderThan must be a finite, non-negative number of milliseconds',
  });
}

/**
 * Removes the layout's blobs and temp files whose modification time is older than `olderThan`.
 * A temp file is never removed while a put in this process writes it; one from another process is
 * safe as long as it was written to within `olderThan`, because every write refreshes its mtime.
 * `checkpoint` runs before each file, so a closed store or a fired signal stops the sweep.
 */
export async function sweepLayout(layout: BlobLayout, olderThan: number, checkpoint: () => void): Promise<SweepReport> {
  const cutoff = Date.now() - olderThan;
  const report: SweepReport = { removedBlobs: 0, removedTempFiles: 0, bytesFreed: 0 };
  for await (const { directory, name, kind } of layout.entries()) {
    checkpoint();
    const path = join(directory, name);
    const stats = await lstat(path).catch(ignoreMissing);
    if (stats === undefined || !stats.isFile() || stats.mtimeMs >= cutoff) continue;
    // Checked last, right before the unlink: a put registers its temp file before creating it.
    if (kind === 'temp' && isTempFileInFlight(name)) continue;
    if (!(await removeFile(path))) continue;
    if (kind === 'blob') report.removedBlobs++;
    else report.removedTempFiles++;
    report.bytesFreed += stats.size;
  }
  return report;
}

// False when someone else removed the file first: a delete, another sweep, or the rename of a temp file.
async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function ignoreMissing(error: unknown): undefined {
  if (errnoCode(error) === 'ENOENT') return undefined;
  throw error;
}
