export { configFromEnv, defaultFilesystemBasePath, environmentVariables } from './env-config.js';
export type { CompressionCodec } from './compression.js';
export { ClaimCheckManager, createManager, type OffloadOptions } from './manager.js';
export { defaults, filesystemLayouts, storageTypes, type FilesystemLayout, type ManagerConfig, type StorageType } from './manager-config.js';
export type { LatencySummary, ManagerEvent, MetricsSnapshot } from './metrics.js';
export {
  isReference,
  parseReference,
  referenceMarker,
  referenceVersion,
  type ContentEncoding,
  type Reference,
} from './reference.js';
