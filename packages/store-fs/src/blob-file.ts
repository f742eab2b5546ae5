import { close, constants, fstat, open as openCallback, read, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type OperationContext, throwIfAborted } from '@claimcheck/core/store-helpers';
import { settle } from './fs-call.js';

// O_NOFOLLOW: a symbolic link planted at a key's path is refused, not followed out of basePath.
// O_NONBLOCK: a FIFO planted there cannot hang the read. Both are 0 where the platform lacks them.
const { O_RDONLY = 0, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = constants as Partial<typeof constants>;
const readFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;

// The most one read call asks for: bounds the time between abort checks on very large blobs.
const largestRead = 16 * 1024 * 1024;

/** Thrown when a key's path holds something other than a regular file: a directory, a FIFO, a device. */
export class NotRegularFileError extends Error {
  constructor() {
    super('not a regular file');
    this.name = 'NotRegularFileError';
  }
}

/** Opens a blob file for reading, refusing symbolic links and anything that is not a regular file. */
export async function openBlobFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(path, readFlags);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotRegularFileError();
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads a whole blob file into a new buffer of exactly its size. This is what `fs.readFile` does,
 * minus its fixed 512 KiB reads: a blob is read in as few system calls as the kernel allows. It works
 * on a bare descriptor through the callback API: a `FileHandle` adds an object and an async wrapper
 * around each call, which cost about 5 % of a 1 KiB read. Every path closes the descriptor.
 */
export async function readBlobFile(path: string, signal: AbortSignal | undefined, context: OperationContext): Promise<Uint8Array> {
  const fd = await settle<number>((done) => {
    openCallback(path, readFlags, done);
  });
  try {
    const stats = await settle<Stats>((done) => {
      fstat(fd, done);
    });
    if (!stats.isFile()) throw new NotRegularFileError();
    const { size } = stats;
    // Every byte is overwritten by the read, so the buffer need not be zeroed first. It is handed
    // out as a plain Uint8Array, as every other store returns, over memory of its own.
    const buffer = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
    let filled = 0;
    while (filled < size) {
      throwIfAborted(signal, context);
      const bytesRead = await settle<number>((done) => {
        read(fd, buffer, filled, Math.min(size - filled, largestRead), filled, done);
      });
      // Blob files are never rewritten, so a file that shrank was changed behind the store's back.
      if (bytesRead === 0) throw new Error(`the file shrank from ${size} to ${filled} bytes while it was read`);
      filled += bytesRead;
    }
    return buffer;
  } finally {
    // A file that was only read loses nothing when closing fails; there is nothing to report.
    await new Promise<void>((resolve) => {
      close(fd, () => {
        resolve();
      });
    });
  }
}
