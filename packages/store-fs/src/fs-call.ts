import { close } from 'node:fs';

/**
 * One call of Node's callback fs API as a promise. The store's hot paths use it on bare descriptors:
 * `fs/promises` wraps each descriptor in a `FileHandle`, an object with an async wrapper around every
 * call, which costs a few per cent of a small blob's read or write.
 */
export function settle<T>(start: (done: (error: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((error, value) => {
      if (error) reject(error);
      else resolve(value);
    });
  });
}

/** Closes a bare descriptor. */
export function closeFile(fd: number): Promise<void> {
  return settle<undefined>((done) => {
    close(fd, (error) => {
      done(error, undefined);
    });
  });
}
