import { objectStoreConformance } from '../../src/conformance/index.js';
import type { ObjectStore } from '../../src/index.js';

interface CollectedCase {
  name: string;
  body: () => Promise<void>;
}

// Registers the suite with a minimal runner that only records the cases, named by their full path.
function collectCases(create: () => ObjectStore): CollectedCase[] {
  const cases: CollectedCase[] = [];
  const path: string[] = [];
  objectStoreConformance({
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    it: (name, body) => cases.push({ name: [...path, name].join(' > '), body }),
    name: 'candidate',
    create,
  });
  return cases;
}

/** The full name of every case the suite registers. */
export function suiteCaseNames(): string[] {
  return collectCases(() => new Proxy({}, {}) as ObjectStore).map(({ name }) => name);
}

/** Runs the whole conformance suite in-process against `create` and returns the names of the cases that failed. */
export async function failingCases(create: () => ObjectStore): Promise<string[]> {
  const failed: string[] = [];
  for (const { name, body } of collectCases(create)) {
    await body().catch(() => failed.push(name));
  }
  return failed;
}
