import { constants } from 'node:buffer';
import { type ClaimCheckWarning, type ObjectStore } from '@claimcheck/core';
import { emitProcessWarning } from '@claimcheck/core/store-helpers';
import { compressionCodecs, zstdAvailable, type CompressionCodec } from './compression.js';
import { configError } from './config-error.js';
import { environmentVariables } from './env-config.js';
import { defaults, filesystemLayouts, storageTypes, type FilesystemLayout, type ManagerConfig, type StorageType } from './manager-config.js';
import type { ManagerEvent } from './metrics.js';

/** A validated configuration with every default filled in. */
export interface ResolvedConfig {
  enabled: boolean;
  thresholdBytes: number;
  /** The codec offloads compress with; `undefined` when compression is disabled. */
  codec: CompressionCodec | undefined;
  maxPayloadBytes: number;
  onEvent: ((event: ManagerEvent) => void) | undefined;
  onWarning: (warning: ClaimCheckWarning) => void;
  /** The configuration as given, for `resolveBackend` when the store is needed. */
  source: ManagerConfig;
}

/** An injected store. */
export interface InjectedBackend {
  store: ObjectStore;
}

/** Settings for the filesystem backend. */
export interface FilesystemBackend {
  storageType: 'filesystem';
  onWarning: (warning: ClaimCheckWarning) => void;
  basePath: string;
  layout: FilesystemLayout | undefined;
}

/** Settings for the R2 backend. */
export interface R2Backend {
  storageType: 'r2';
  onWarning: (warning: ClaimCheckWarning) => void;
  bucket: string;
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  keyPrefix: string | undefined;
  forcePathStyle: boolean | undefined;
}

const r2Fields = ['r2Bucket', 'r2Endpoint', 'r2AccessKeyId', 'r2SecretAccessKey'] as const;

/**
 * Validates `config` and fills in the defaults; every problem is an `INVALID_CONFIG` error naming the
 * field. The backend's own settings are checked by `resolveBackend`, when a store is first needed.
 */
export function resolveConfig(config: ManagerConfig): ResolvedConfig {
  if (typeof config !== 'object' || (config as unknown) === null) throw configError('config must be an object');
  const thresholdBytes = config.thresholdBytes ?? defaults.thresholdBytes;
  if (!Number.isSafeInteger(thresholdBytes) || thresholdBytes < 0) {
    throw configError(`thresholdBytes must be a whole number of bytes ≥ 0, got ${String(thresholdBytes)}`);
  }
  const maxPayloadBytes = config.maxPayloadBytes ?? defaults.maxPayloadBytes;
  if (!Number.isSafeInteger(maxPayloadBytes) || maxPayloadBytes < 1 || maxPayloadBytes > constants.MAX_LENGTH) {
    throw configError(`maxPayloadBytes must be a whole number of bytes from 1 to ${constants.MAX_LENGTH}, got ${String(maxPayloadBytes)}`);
  }
  // A stream is buffered up to the threshold to decide, so the threshold must be affordable too.
  if (thresholdBytes > maxPayloadBytes) {
    throw configError(`thresholdBytes (${thresholdBytes}) must not exceed maxPayloadBytes (${maxPayloadBytes})`);
  }
  if (config.onEvent !== undefined && typeof config.onEvent !== 'function') throw configError('onEvent must be a function');
  if (config.onWarning !== undefined && typeof config.onWarning !== 'function') throw configError('onWarning must be a function');
  if (config.store !== undefined) checkStore(config.store);
  else storageTypeOf(config);
  return {
    enabled: booleanField(config, 'enabled'),
    thresholdBytes,
    codec: compressionCodecOf(config),
    maxPayloadBytes,
    onEvent: config.onEvent,
    onWarning: warningHandlerOf(config),
    source: config,
  };
}

/** The injected store, or the validated settings of the backend to create. */
export function resolveBackend(config: ManagerConfig): InjectedBackend | FilesystemBackend | R2Backend {
  if (config.store !== undefined) return { store: config.store };
  const storageType = storageTypeOf(config);
  if (storageType === 'filesystem') {
    const basePath = config.filesystemBasePath;
    if (typeof basePath !== 'string' || basePath.trim() === '') {
      throw configError(`filesystem storage needs filesystemBasePath (${environmentVariables.filesystemBasePath})`);
    }
    const layout = config.filesystemLayout;
    if (layout !== undefined && !(filesystemLayouts as readonly string[]).includes(layout)) {
      throw configError(`filesystemLayout must be one of ${filesystemLayouts.join(', ')}, got ${JSON.stringify(layout)}`);
    }
    return { storageType, basePath, layout, onWarning: warningHandlerOf(config) };
  }
  const missing = r2Fields.filter((field) => typeof config[field] !== 'string' || config[field].trim() === '');
  if (missing.length > 0) {
    const names = missing.map((field) => `${field} (${environmentVariables[field]})`).join(', ');
    const defaulted = config.storageType ? '' : 'no storage type is set, so the default r2 is used, and ';
    throw configError(
      `${defaulted}r2 storage is missing ${names}; set them, or choose local mode with ` +
        `storageType: 'filesystem' (${environmentVariables.storageType}=filesystem)`,
    );
  }
  return {
    storageType,
    bucket: String(config.r2Bucket),
    endpoint: String(config.r2Endpoint),
    accessKeyId: String(config.r2AccessKeyId),
    secretAccessKey: String(config.r2SecretAccessKey),
    region: config.r2Region ?? defaults.r2Region,
    keyPrefix: config.r2KeyPrefix,
    forcePathStyle: config.r2ForcePathStyle,
    onWarning: warningHandlerOf(config),
  };
}

function warningHandlerOf(config: ManagerConfig): (warning: ClaimCheckWarning) => void {
  return config.onWarning ?? emitProcessWarning;
}

function compressionCodecOf(config: ManagerConfig): CompressionCodec | undefined {
  const codec = codecOf(config);
  return booleanField(config, 'compressionEnabled') ? codec : undefined;
}

function codecOf(config: ManagerConfig): CompressionCodec {
  const value: unknown = config.compression ?? defaults.compression;
  if (!(compressionCodecs as readonly unknown[]).includes(value)) {
    throw configError(`compression must be one of ${compressionCodecs.join(', ')}, got ${JSON.stringify(value)}`);
  }
  if (value === 'zstd' && !zstdAvailable()) {
    throw configError(`compression 'zstd' needs Node.js 22.15 or later (this is ${process.version}); use compression: 'gzip'`);
  }
  return value as CompressionCodec;
}

// Empty means r2, for compatibility with the origin; anything unknown is an error listing the choices.
function storageTypeOf(config: ManagerConfig): StorageType {
  const value: unknown = config.storageType ?? '';
  if (value === '') return 'r2';
  if (typeof value === 'string' && (storageTypes as readonly string[]).includes(value)) return value as StorageType;
  throw configError(`unknown storage type: ${JSON.stringify(value)} (supported: ${storageTypes.join(', ')})`);
}

function booleanField(config: ManagerConfig, field: 'enabled' | 'compressionEnabled'): boolean {
  const value: unknown = config[field] ?? defaults[field];
  if (typeof value !== 'boolean') throw configError(`${field} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function checkStore(store: ObjectStore): void {
  const methods = ['put', 'get', 'delete', 'health', 'listKeys', 'listEntries', 'putStream', 'getStream', 'close'] as const;
  const missing = methods.filter((method) => typeof (store as Partial<ObjectStore>)[method] !== 'function');
  if (missing.length > 0) throw configError(`store is not an ObjectStore: it has no ${missing.join(', ')}`);
}
