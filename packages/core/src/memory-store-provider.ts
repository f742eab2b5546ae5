import { MemoryStore } from './memory-store.js';
import { defineStoreProvider, storeBaseOptions } from './store-provider.js';
import type { StoreBaseOptions } from './store-base/abstract-object-store.js';

/** The `MemoryStore`'s provider: for tests and examples that configure a store by name. */
export const memoryStoreProvider = defineStoreProvider<StoreBaseOptions>({
  name: 'memory',
  options: storeBaseOptions('CLAIMCHECK_MEMORY_'),
  create: (options) => new MemoryStore(options),
});
