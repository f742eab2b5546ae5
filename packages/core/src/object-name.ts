import { ClaimCheckError } from './errors.js';
import type { OperationContext } from './operation-guard.js';

/** The longest object name S3 and R2 take, in UTF-8 bytes. */
export const maxObjectNameBytes = 1024;

/** The longest name prefix of a bucket store (its `keyPrefix` option): an unprefixed key, a 36-character UUID, must still fit after it. */
export const maxObjectNamePrefixBytes = maxObjectNameBytes - 36;

const utf8 = new TextEncoder();

/**
 * What is wrong with a bucket store's `keyPrefix` option, for its `INVALID_CONFIG` error, or undefined
 * when it is a string of at most `maxObjectNamePrefixBytes` UTF-8 bytes.
 */
export function objectNamePrefixProblem(keyPrefix: unknown): string | undefined {
  if (typeof keyPrefix !== 'string') return 'keyPrefix must be a string';
  if (utf8.encode(keyPrefix).byteLength > maxObjectNamePrefixBytes) return `keyPrefix must be at most ${maxObjectNamePrefixBytes} bytes`;
  return undefined;
}

/**
 * Names the object that holds a key in a bucket store: `${namePrefix}${key}`. A key prefix can make a
 * key up to 512 characters, so under a long name prefix the name could pass 1024 bytes: such a key is
 * `INVALID_KEY` here, before any request, rather than the server's own refusal. The prefix is measured
 * once; a key is ASCII (the key grammar), one byte per character.
 */
export function objectNamer(namePrefix: string): (key: string, context: OperationContext) => string {
  const prefixBytes = utf8.encode(namePrefix).byteLength;
  return (key, { operation, backend }) => {
    const bytes = prefixBytes + key.length;
    if (bytes <= maxObjectNameBytes) return `${namePrefix}${key}`;
    const detail = `invalid key ${key}: after the store's keyPrefix its object name would be ${bytes} bytes, over the ${maxObjectNameBytes} an object name may have`;
    throw new ClaimCheckError({ code: 'INVALID_KEY', operation, backend, detail });
  };
}
