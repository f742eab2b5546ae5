export { configFromEnv, defaultFilesystemBasePath, environmentVariables } from './env-config.js';
export type { CompressionCodec } from './compression.js';
export { ClaimCheckManager, createManager, type OffloadOptions } from './manager.js';
export { defaults, storageTypes, type ManagerConfig, type StorageType } from './manager-config.js';
export type { LatencySummary, ManagerEvent, MetricsSnapshot } from './metrics.js';
export {
  isReference,
  parseReference,
  referenceMarker,
  referenceVersion,
  type ContentEncoding,
  type Reference,
} from './reference.js';
