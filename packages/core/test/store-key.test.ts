import { describe, expect, it } from 'vitest';
import { generateKey, isInvalidKeyError, isStoreKey } from '../src/index.js';
import { assertStoreKey } from '../src/store-helpers.js';

describe('store keys', () => {
  it('generateKey returns distinct lowercase version-4 UUIDs', () => {
    const keys = Array.from({ length: 1000 }, generateKey);
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
