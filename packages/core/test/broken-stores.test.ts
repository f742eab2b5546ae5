import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/index.js';
import { brokenStores } from './support/broken-stores.js';
import { failingCases, suiteCaseNames } from './support/collecting-runner.js';

// Each variant runs the whole suite once, in a test of its own: on a loaded machine one long hook
// over all of them ran out of time, while no single variant comes near this.
const perVariantTimeoutMs = 300_000;

describe('the conformance suite catches broken stores', () => {
  const failuresByFlaw = new Map<string, string[]>();

  it('MemoryStore itself fails no case', async () => {
    expect(await failingCases(() => new MemoryStore())).toEqual([]);
  }, perVariantTimeoutMs);

  for (const { flaw, create, expectedFailure } of brokenStores) {
    it(`catches a store that ${flaw}`, async () => {
      const failed = await failingCases(create);
      failuresByFlaw.set(flaw, failed);
      expect(failed.some((name) => name.includes(expectedFailure)), `failed cases: ${failed.join('; ') || 'none'}`).toBe(true);
    }, perVariantTimeoutMs);
  }

  it('every case of the suite fails for at least one broken variant', () => {
    expect(failuresByFlaw.size, 'every variant ran').toBe(brokenStores.length);
    const caught = new Set([...failuresByFlaw.values()].flat());
    expect(suiteCaseNames().filter((name) => !caught.has(name))).toEqual([]);
  });
});
