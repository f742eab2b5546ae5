export { R2Store } from './r2-store.js';
export type { R2StoreOptions } from './r2-store-options.js';
