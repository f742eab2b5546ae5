import fs, { open, write } from 'node:fs';
import { type OperationContext, throwIfAborted } from '@claimcheck/core/store-helpers';
import type { TempFile } from './atomic-write.js';
import { closeFile, settle } from './fs-call.js';

// The most one write call hands the kernel: bounds the time between abort checks on very large blobs.
const largestWrite = 16 * 1024 * 1024;

/**
 * Creates the temp file as `temp` says, writes `data` to it, fsyncs it when `temp.flush` is set, and
 * closes it. What `fs.writeFile` does, on a bare descriptor (see `settle`) and in as few write calls
 * as the kernel allows rather than 512 KiB ones. `signal` is checked before the file is created and
 * before every write. The descriptor
 * is closed on every path; a failure to close a written file is reported, since its data may be lost.
 */
export async function writeBlobFile(temp: TempFile, data: Uint8Array, signal: AbortSignal, context: OperationContext): Promise<void> {
  throwIfAborted(signal, context);
  const fd = await settle<number>((done) => {
    open(temp.path, temp.flags, temp.mode, done);
  });
  try {
    let written = 0;
    while (written < data.byteLength) {
      throwIfAborted(signal, context);
      const offset = written;
      written += await settle<number>((done) => {
        write(fd, data, offset, Math.min(data.byteLength - offset, largestWrite), null, done);
      });
    }
    if (temp.flush) {
      await settle<undefined>((done) => {
        // Through the module object, as Node's write streams call it, so that one spy sees every file fsync.
        fs.fsync(fd, (error) => {
          done(error, undefined);
        });
      });
    }
  } catch (error) {
    // The write's failure is the one to report; the temp file is removed by the caller.
    await closeFile(fd).catch(() => undefined);
    throw error;
  }
  await closeFile(fd);
}
