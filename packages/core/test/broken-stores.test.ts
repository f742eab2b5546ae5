import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/index.js';
import { brokenStores } from './support/broken-stores.js';
import { failingCases, suiteCaseNames } from './support/collecting-runner.js';

describe('the conformance suite catches broken stores', () => {
  // Each variant runs the whole suite once; the tests below read the results.
  const failuresByFlaw = new Map<string, string[]>();
  beforeAll(async () => {
    for (const { flaw, create } of brokenStores) failuresByFlaw.set(flaw, await failingCases(create));
  }, 600_000);

  it('MemoryStore itself fails no case', async () => {
    expect(await failingCases(() => new MemoryStore())).toEqual([]);
  });

  for (const { flaw, expectedFailure } of brokenStores) {
    it(`catches a store that ${flaw}`, () => {
      const failed = failuresByFlaw.get(flaw) ?? [];
      expect(failed.some((name) => name.includes(expectedFailure)), `failed cases: ${failed.join('; ') || 'none'}`).toBe(true);
    });
  }

  it('every case of the suite fails for at least one broken variant', () => {
    const caught = new Set([...failuresByFlaw.values()].flat());
    expect(suiteCaseNames().filter((name) => !caught.has(name))).toEqual([]);
  });
});
