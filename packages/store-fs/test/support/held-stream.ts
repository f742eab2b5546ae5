import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A source stream that yields its first chunk, then holds until `release()`: a put caught mid-write. */
export interface HeldStream {
  stream: AsyncGenerator<Uint8Array>;
  release: () => void;
}

/** A stream of `first`, then (once released) `rest`. */
export function heldStream(first: Uint8Array, rest: Uint8Array): HeldStream {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* stream(): AsyncGenerator<Uint8Array> {
    yield first;
    await released;
    yield rest;
  }
  return { stream: stream(), release };
}

const tempFilePattern = /^\.tmp-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Paths of the temp files under `basePath`, at the top level and one level down (the shards). */
export async function tempFilesUnder(basePath: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(basePath, { withFileTypes: true })) {
    if (entry.isFile() && tempFilePattern.test(entry.name)) found.push(join(basePath, entry.name));
    if (entry.isDirectory()) {
      for (const name of await readdir(join(basePath, entry.name))) {
        if (tempFilePattern.test(name)) found.push(join(basePath, entry.name, name));
      }
    }
  }
  return found;
}

/** Waits, polling the directory, until exactly `count` temp files exist under `basePath`; returns them. */
export async function waitForTempFiles(basePath: string, count: number): Promise<string[]> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const found = await tempFilesUnder(basePath);
    if (found.length === count) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`expected ${count} temp files under ${basePath}, found ${(await tempFilesUnder(basePath)).length}`);
}
