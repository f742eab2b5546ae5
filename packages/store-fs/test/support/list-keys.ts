import type { ObjectStore } from '@claimcheck/core';

/** Every key `store.listKeys()` yields, sorted. */
export async function sortedKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys.sort();
}
