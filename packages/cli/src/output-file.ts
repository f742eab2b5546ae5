import { lstat } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/**
 * Refuses an output path that exists and is not a regular file. `get -o` renames its temp file over
 * the path, which would turn a device (`/dev/null`), FIFO, socket, directory or symlink into a file.
 */
export async function assertWritableOutput(path: string): Promise<void> {
  const info = await lstat(path).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  });
  if (info === undefined || info.isFile()) return;
  throw new UsageError(`-o ${path} exists and is ${kindOf(info)}, not a regular file: get writes only regular files (-o - writes to stdout)`);
}

function kindOf(info: Awaited<ReturnType<typeof lstat>>): string {
  if (info.isSymbolicLink()) return 'a symlink';
  if (info.isDirectory()) return 'a directory';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}
