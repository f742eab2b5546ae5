import { describe, expect, it } from 'vitest';
import { generateKey, isClaimCheckError } from '../src/index.js';
import { maxObjectNameBytes, maxObjectNamePrefixBytes, objectNamePrefixProblem, objectNamer } from '../src/store-helpers.js';

describe('bucket object names', () => {
  it('a keyPrefix option is measured in UTF-8 bytes, up to 988', () => {
    expect(maxObjectNamePrefixBytes).toBe(988);
    expect(objectNamePrefixProblem('')).toBeUndefined();
    expect(objectNamePrefixProblem('p'.repeat(988))).toBeUndefined();
    expect(objectNamePrefixProblem('p'.repeat(989))).toBe('keyPrefix must be at most 988 bytes');
    // 494 two-byte characters are 988 bytes; 495 are 990, though only 495 characters.
    expect(objectNamePrefixProblem('é'.repeat(494))).toBeUndefined();
    expect(objectNamePrefixProblem('é'.repeat(495))).toBe('keyPrefix must be at most 988 bytes');
    expect(objectNamePrefixProblem(7)).toBe('keyPrefix must be a string');
  });

  it('names an object as prefix + key, and a name over 1024 bytes is INVALID_KEY naming the operation and store', () => {
    const prefix = `${'é'.repeat(450)}/`; // 901 bytes in 451 characters
    const nameOf = objectNamer(prefix);
    const context = { operation: 'put', backend: 'r2' };
    const fitting = `${'k'.repeat(86)}/${generateKey()}`; // 901 + 123 = 1024
    expect(new TextEncoder().encode(nameOf(fitting, context)).byteLength).toBe(maxObjectNameBytes);
    expect(nameOf(fitting, context)).toBe(`${prefix}${fitting}`);
    let caught: unknown;
    try {
      nameOf(`k${fitting}`, context);
    } catch (error) {
      caught = error;
    }
    expect(isClaimCheckError(caught) && caught.code).toBe('INVALID_KEY');
    expect((caught as Error).message).toMatch(/^r2 put failed: invalid key k+\/[0-9a-f-]{36}: after the store's keyPrefix its object name would be 1025 bytes, over the 1024/);
  });
});
