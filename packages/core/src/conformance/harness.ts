import type { ObjectStore } from '../object-store.js';

/** A `describe` as vitest, node:test, mocha and jest all provide it. */
export type DescribeFunction = (name: string, body: () => void) => unknown;

/**
 * An `it` as test runners provide it. The suite calls `it(name, fn, timeoutMs)`: vitest and jest read
 * the third argument as a timeout, node:test and mocha ignore it.
 */
export type ItFunction = (name: string, body: () => Promise<void>, timeoutMs?: number) => unknown;

/** How a store proves itself: the runner's functions and a factory of fresh, isolated stores. */
export interface ConformanceOptions<Store extends ObjectStore = ObjectStore> {
  /** The runner's `describe`. */
  describe: DescribeFunction;
  /** The runner's `it` (or `test`). */
  it: ItFunction;
  /** The name of the top-level group, usually the store's name. */
  name: string;
  /** Returns a fresh store that shares no blobs with any other instance the suite creates. */
  create: () => Store | Promise<Store>;
  /** Cleans up after a case; defaults to `store.close()`. It also runs when the case closed the store. */
  destroy?: (store: Store) => void | Promise<void>;
  /** Time allowed for each case, for runners that take one; defaults to 120 s. */
  timeoutMs?: number;
  /**
   * How many blobs the large-listing case stores and lists; default 1,100, past S3's 1,000-key page.
   * Lowering it WEAKENS THE SUITE: below 1,001 it no longer catches a listing that stops after one
   * page. Only for backends too slow to take 1,100 puts per run.
   */
  largeListingKeys?: number;
}

/** The default of `largeListingKeys`. */
export const defaultLargeListingKeys = 1100;

/** Registers one case: `body` gets a fresh store, which is destroyed afterwards whatever happens. */
export type DefineCase = (name: string, body: (store: ObjectStore) => Promise<void>) => void;

/** Builds the `DefineCase` a group of cases registers through. */
export function caseDefiner<Store extends ObjectStore>(options: ConformanceOptions<Store>): DefineCase {
  const destroy = options.destroy ?? ((store: Store) => store.close());
  const timeoutMs = options.timeoutMs ?? 120_000;
  return (name, body) => {
    options.it(
      name,
      async () => {
        const store = await options.create();
        try {
          await body(store);
        } finally {
          await destroy(store);
        }
      },
      timeoutMs,
    );
  };
}
