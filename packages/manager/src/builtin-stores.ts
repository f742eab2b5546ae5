/**
 * The store names the manager knows by itself, and the package that provides each: the only backend
 * knowledge in the manager (unstorage's `builtinDrivers`). Everything else comes from the provider.
 */
export const builtinStores: Readonly<Record<string, string>> = Object.freeze({
  r2: '@claimcheck/store-r2',
  filesystem: '@claimcheck/store-fs',
  fs: '@claimcheck/store-fs',
});

/** The store used when none is named, as in the origin. */
export const defaultStorageType = 'r2';
