import { v4 as uuidv4 } from 'uuid';
import { ClaimCheckError } from './errors.js';

// The one shape `generateKey` produces: a lowercase, canonical RFC 9562 version-4 UUID.
const storeKeyPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A new store key: a random (version 4) UUID from the `uuid` package. */
export function generateKey(): string {
  return uuidv4();
}

/** True when `key` has exactly the shape `generateKey` produces. */
export function isStoreKey(key: unknown): key is string {
  return typeof key === 'string' && storeKeyPattern.test(key);
}

/** Throws `INVALID_KEY` for anything `generateKey` could not have produced; call before touching storage. */
export function assertStoreKey(key: unknown, operation: string, backend: string): asserts key is string {
  if (isStoreKey(key)) return;
  throw new ClaimCheckError({
    code: 'INVALID_KEY',
    operation,
    backend,
    detail: `invalid key ${describeKey(key)}: expected a lowercase version-4 UUID`,
  });
}

// A bounded, printable rendering: a hostile key must not flood logs or smuggle control characters.
function describeKey(key: unknown): string {
  if (typeof key !== 'string') return `of type ${typeof key}`;
  const shown = JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
  return key.length > 64 ? `${shown} (${key.length} characters)` : shown;
}
