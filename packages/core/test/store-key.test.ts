import { describe, expect, it } from 'vitest';
import { generateKey, isInvalidKeyError, isKeyPrefix, isStoreKey, maxKeyPrefixLength, maxKeyPrefixSegments } from '../src/index.js';
import { assertKeyPrefix, assertStoreKey } from '../src/store-helpers.js';

describe('store keys', () => {
  it('generateKey returns distinct lowercase version-4 UUIDs', () => {
    const keys = Array.from({ length: 1000 }, () => generateKey());
    expect(new Set(keys).size).toBe(1000);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('isStoreKey accepts only what generateKey produces', () => {
    const key = generateKey();
    expect(isStoreKey(key)).toBe(true);
    for (const bad of [key.toUpperCase(), ` ${key}`, `${key}\n`, key.replace(/-/g, ''), '00000000-0000-0000-0000-000000000000', undefined, 1]) {
      expect(isStoreKey(bad)).toBe(false);
    }
  });

  it('assertStoreKey names the operation and backend and keeps a hostile key out of the message', () => {
    let caught: unknown;
    try {
      assertStoreKey(`${'x'.repeat(5000)}\u001b[31m`, 'get', 'filesystem');
    } catch (error) {
      caught = error;
    }
    expect(isInvalidKeyError(caught)).toBe(true);
    const message = (caught as Error).message;
    expect(message).toMatch(/^filesystem get failed: invalid key "x{64}…" \(5005 characters\)/);
    expect(message.length).toBeLessThan(200);
  });
});

describe('key prefixes', () => {
  it('generateKey puts the prefix and a / before the UUID', () => {
    const key = generateKey('ns/default/wf/order-7');
    expect(key).toMatch(/^ns\/default\/wf\/order-7\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isStoreKey(key)).toBe(true);
  });

  it('isKeyPrefix takes 1–8 segments of the safe characters, none starting with ., at most 475 characters', () => {
    for (const good of ['a', 'ns/default', 'A-Z_0.9~%41', 'a/b/c/d/e/f/g/h', 'x'.repeat(128), Array.from({ length: 4 }, () => 'a'.repeat(118)).join('/')]) {
      expect(isKeyPrefix(good), good).toBe(true);
    }
    for (const bad of ['', '/a', 'a/', 'a//b', '.', '..', 'a/..', '.a', 'a b', 'a\\b', 'ä', 'a/b/c/d/e/f/g/h/i', 'x'.repeat(129), Array.from({ length: 4 }, () => 'a'.repeat(119)).join('/'), 7, undefined]) {
      expect(isKeyPrefix(bad), String(bad)).toBe(false);
    }
    expect(maxKeyPrefixLength + 37).toBe(512);
    expect(maxKeyPrefixSegments).toBe(8);
  });

  it('isStoreKey takes a UUID after a valid prefix only', () => {
    const uuid = generateKey();
    expect(isStoreKey(`a/b/${uuid}`)).toBe(true);
    for (const bad of [`/${uuid}`, `a//${uuid}`, `../${uuid}`, `a/${uuid}/`, `a/${uuid.toUpperCase()}`, `${'a/'.repeat(9)}${uuid}`]) {
      expect(isStoreKey(bad), bad).toBe(false);
    }
  });

  it('assertStoreKey refuses a prefixed key unless the store takes prefixes', () => {
    const key = generateKey('tenant');
    expect(() => { assertStoreKey(key, 'get', 'third-party'); }).toThrow(/invalid key "tenant\/.*": expected a lowercase version-4 UUID$/);
    expect(() => { assertStoreKey(key, 'get', 'memory', true); }).not.toThrow();
  });

  it('assertKeyPrefix names the rule, or that the store takes no prefix', () => {
    expect(() => { assertKeyPrefix('a//b', 'put', 'memory', true); }).toThrow(/invalid key prefix "a\/\/b": expected 1 to 8 segments/);
    expect(() => { assertKeyPrefix('a', 'put', 'third-party', false); }).toThrow(/store third-party takes no key prefix/);
  });
});
