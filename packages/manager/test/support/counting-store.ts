import type { ObjectStore } from '@claimcheck/core';

/** Wraps a real store and counts the calls made to it, to prove that inline payloads never reach it. */
export function countingStore(store: ObjectStore): { store: ObjectStore; calls: () => number } {
  let calls = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, calls: () => calls };
}
