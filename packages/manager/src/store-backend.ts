import {
  createFromOptions,
  describeStore,
  isClaimCheckError,
  resolveStoreOptions,
  type ObjectStore,
  type StoreDescription,
  type StoreProvider,
} from '@claimcheck/core';
import { defaultStorageType } from './builtin-stores.js';
import { configError } from './config-error.js';
import { loadStoreProvider } from './provider-loader.js';
import { checkStore, type BackendChoice } from './resolved-config.js';

/** The store a manager uses, and what it is, safe to print. */
export interface Backend {
  store: ObjectStore;
  description: StoreDescription;
}

/**
 * The one way from configuration to a store: load the provider, check the options against its
 * descriptions, hand them to its factory. A given store is used as it is.
 */
export async function openBackend(choice: BackendChoice): Promise<Backend> {
  if (choice.store !== undefined) {
    const { store } = choice;
    return { store, description: { name: store.name, options: {}, summary: `${store.name} store`, unsetNamespace: undefined } };
  }
  const { storageType = defaultStorageType, storeOptions, storeEnv, resolveFrom, onWarning } = choice;
  const provider: StoreProvider = typeof storageType === 'string' ? await loadStoreProvider(storageType, { resolveFrom }) : storageType;
  let options: Record<string, unknown>;
  try {
    options = resolveStoreOptions(provider, { options: storeOptions, env: storeEnv });
  } catch (error) {
    throw choice.storageType === undefined && isClaimCheckError(error) && error.code === 'INVALID_CONFIG' ? defaultedError(error) : error;
  }
  const store = await createFromOptions(provider, options, onWarning);
  checkStore(store, `what the ${provider.name} provider created`);
  return { store, description: describeStore(provider, options) };
}

// The origin's default surprises people who meant local mode; say what happened and how to choose.
function defaultedError(error: Error): Error {
  return configError(
    `no storage type is set (storageType, BLOB_STORAGE_TYPE), so the default ${defaultStorageType} is used, and ${error.message}; ` +
      `set them, or choose another store, such as local mode with storageType: 'filesystem' (BLOB_STORAGE_TYPE=filesystem)`,
    error,
  );
}
