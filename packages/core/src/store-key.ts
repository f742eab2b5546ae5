import { v4 as uuidv4 } from 'uuid';
import { ClaimCheckError } from './errors.js';

// A lowercase, canonical RFC 9562 version-4 UUID: the one name `generateKey` produces.
const uuidSource = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
// A prefix segment: characters that need no escaping in a URL, an S3 key or a file name on any
// system, never `.` first (so never `.`, `..`, a hidden file or a store's own `.tmp-` files).
const segmentSource = '[A-Za-z0-9_~%-][A-Za-z0-9._~%-]{0,127}';

/** The most segments a key prefix may have. */
export const maxKeyPrefixSegments = 8;

/** The longest key prefix, in characters: with the UUID, a key is at most 512. */
export const maxKeyPrefixLength = 475;

const storeKeyPattern = new RegExp(`^(?:${segmentSource}/){0,${maxKeyPrefixSegments}}${uuidSource}$`);
const keyPrefixPattern = new RegExp(`^${segmentSource}(?:/${segmentSource}){0,${maxKeyPrefixSegments - 1}}$`);

/** A new store key: a random (version 4) UUID from the `uuid` package, after `prefix` and a `/` when given. */
export function generateKey(prefix?: string): string {
  return prefix === undefined ? uuidv4() : `${prefix}/${uuidv4()}`;
}

/**
 * True when `key` has a shape `generateKey` produces: a lowercase version-4 UUID, optionally after a
 * key prefix (see `isKeyPrefix`) and a `/`.
 */
export function isStoreKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= maxKeyPrefixLength + 37 && storeKeyPattern.test(key);
}

/**
 * True when `prefix` may go before a key: 1 to 8 segments joined by `/`, each 1–128 characters of
 * `A–Z a–z 0–9 . _ ~ % -` not starting with `.`, at most 475 characters in all.
 */
export function isKeyPrefix(prefix: unknown): prefix is string {
  return typeof prefix === 'string' && prefix.length <= maxKeyPrefixLength && keyPrefixPattern.test(prefix);
}

/** True when `key` has a prefix: it names a folder-like path before its UUID. */
export function hasKeyPrefix(key: string): boolean {
  return key.includes('/');
}

/**
 * Throws `INVALID_KEY` for anything `generateKey` could not have produced, and for a prefixed key when
 * the store takes no prefixes; call before touching storage.
 */
export function assertStoreKey(key: unknown, operation: string, backend: string, prefixesAllowed = false): asserts key is string {
  if (isStoreKey(key) && (prefixesAllowed || !hasKeyPrefix(key))) return;
  const expected = prefixesAllowed ? 'a lowercase version-4 UUID, optionally after a key prefix and /' : 'a lowercase version-4 UUID';
  throw new ClaimCheckError({ code: 'INVALID_KEY', operation, backend, detail: `invalid key ${describeKey(key)}: expected ${expected}` });
}

/** Throws `INVALID_KEY` for a key prefix `isKeyPrefix` refuses, or for any prefix when the store takes none. */
export function assertKeyPrefix(prefix: unknown, operation: string, backend: string, prefixesAllowed: boolean): asserts prefix is string {
  if (!prefixesAllowed) {
    throw new ClaimCheckError({ code: 'INVALID_KEY', operation, backend, detail: `store ${backend} takes no key prefix (its capabilities.keyPrefixes is not true), got ${describeKey(prefix)}` });
  }
  if (isKeyPrefix(prefix)) return;
  const rule = `1 to ${maxKeyPrefixSegments} segments joined by /, each 1–128 characters of A–Z a–z 0–9 . _ ~ % - not starting with ., at most ${maxKeyPrefixLength} characters`;
  throw new ClaimCheckError({ code: 'INVALID_KEY', operation, backend, detail: `invalid key prefix ${describeKey(prefix)}: expected ${rule}` });
}

// A bounded, printable rendering: a hostile key must not flood logs or smuggle control characters.
function describeKey(key: unknown): string {
  if (typeof key !== 'string') return `of type ${typeof key}`;
  const shown = JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
  return key.length > 64 ? `${shown} (${key.length} characters)` : shown;
}
