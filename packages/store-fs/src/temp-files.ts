import { randomUUID } from 'node:crypto';
import { isStoreKey } from '@claimcheck/core';

const tempPrefix = '.tmp-';

/** A fresh temp file name: fixed length, hidden, and never a store key, so listings can tell it from a blob. */
export function tempFileName(): string {
  return `${tempPrefix}${randomUUID()}`;
}

/** True for names `tempFileName` produces. */
export function isTempFileName(name: string): boolean {
  return name.startsWith(tempPrefix) && isStoreKey(name.slice(tempPrefix.length));
}

// Temp files that a put in this process is still writing, by absolute path. Kept on a registry-wide
// symbol so that a second copy of this package in the process (its CommonJS build, say) shares it.
const inFlightKey = Symbol.for('@claimcheck/store-fs/in-flight-temp-files');
const registry = globalThis as unknown as Record<symbol, Set<string> | undefined>;
const inFlight = (registry[inFlightKey] ??= new Set<string>());

/** Marks a temp file as being written; sweep leaves it alone until `releaseTempFile`. */
export function claimTempFile(path: string): void {
  inFlight.add(path);
}

/** The put that wrote the temp file is done with it: it was renamed into place or removed. */
export function releaseTempFile(path: string): void {
  inFlight.delete(path);
}

/** True while a put in this process is writing the temp file at `path`. */
export function isTempFileInFlight(path: string): boolean {
  return inFlight.has(path);
}
