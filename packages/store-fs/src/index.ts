export { FilesystemStore } from './filesystem-store.js';
export { defaultBasePath, storeProvider, type FilesystemProviderOptions } from './store-provider.js';
export type { FilesystemLayout, FilesystemStoreOptions } from './store-options.js';
export type { SweepOptions, SweepReport } from './sweep.js';
