import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '@claimcheck/core';
import { objectStoreConformance } from '@claimcheck/core/conformance';
import { describe, it } from 'vitest';
import { storeProvider } from '../index.js';

// Created the way the manager creates it: through the provider, from the environment alone.
const directories = new Map<object, string>();
objectStoreConformance({
  describe,
  it,
  name: '@acme/claimcheck-store-x',
  create: async () => {
    const directory = await mkdtemp(join(tmpdir(), 'acme-store-'));
    const store = await createStore(storeProvider, { env: { ACME_STORE_DIR: directory, ACME_STORE_CLOSE_TIMEOUT_MS: '1000' } });
    directories.set(store, directory);
    return store;
  },
  destroy: async (store) => {
    await store.close();
    await rm(directories.get(store) ?? '', { recursive: true, force: true });
  },
});
