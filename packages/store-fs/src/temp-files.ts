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

// Temp files that a put in this process is still writing, by name: each name holds a random UUID,
// so it is unique in the process whatever path led to its directory. Kept on a registry-wide
// symbol so that a second copy of this package in the process (its CommonJS build, say) shares it.
const inFlightKey = Symbol.for('@claimcheck/store-fs/in-flight-temp-files');
const registry = globalThis as unknown as Record<symbol, Set<string> | undefined>;
const inFlight = (registry[inFlightKey] ??= new Set<string>());

/** Marks a temp file as being written; sweep leaves it alone until `releaseTempFile`. */
export function claimTempFile(name: string): void {
  inFlight.add(name);
}

/** The put that wrote the temp file is done with it: it was renamed into place or removed. */
export function releaseTempFile(name: string): void {
  inFlight.delete(name);
}

/** True while a put in this process is writing the temp file named `name`. */
export function isTempFileInFlight(name: string): boolean {
  return inFlight.has(name);
}
