export { builtinStores, defaultStorageType } from './builtin-stores.js';
export { configFromEnv } from './env-config.js';
export type { CompressionCodec } from './compression.js';
export { ClaimCheckManager, createManager, type OffloadOptions } from './manager.js';
export { defaults, type ManagerConfig } from './manager-config.js';
export { managerOptions } from './manager-options.js';
export type { LatencySummary, ManagerEvent, MetricsSnapshot } from './metrics.js';
export { loadStoreProvider, type ProviderLoading } from './provider-loader.js';
export {
  isReference,
  parseReference,
  referenceMarker,
  referenceVersion,
  type ContentEncoding,
  type Reference,
} from './reference.js';
export { utf8ByteLength } from './utf8-length.js';
