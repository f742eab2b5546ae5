import { constants } from 'node:buffer';
import { isStoreProvider, type ClaimCheckWarning, type Environment, type ObjectStore, type StoreProvider } from '@claimcheck/core';
import { emitProcessWarning } from '@claimcheck/core/store-helpers';
import { compressionCodecs, zstdAvailable, type CompressionCodec } from './compression.js';
import { configError } from './config-error.js';
import { defaults, type ManagerConfig } from './manager-config.js';
import { managerOptions } from './manager-options.js';
import type { ManagerEvent } from './metrics.js';
import { packageOf } from './provider-loader.js';

/** A validated configuration with every default filled in. */
export interface ResolvedConfig {
  enabled: boolean;
  thresholdBytes: number;
  /** The codec offloads compress with; `undefined` when compression is disabled. */
  codec: CompressionCodec | undefined;
  maxPayloadBytes: number;
  onEvent: ((event: ManagerEvent) => void) | undefined;
  /** Where the manager's own warnings go (a throwing `onEvent`). */
  onWarning: (warning: ClaimCheckWarning) => void;
  /** Where the store comes from: given, or made by a provider when first needed. */
  backend: BackendChoice;
}

/** A store given as it is, or the provider and options to create one from. */
export type BackendChoice =
  | { store: ObjectStore }
  | {
      store?: undefined;
      /** A provider, or the storage type to load one by; `undefined` means the default. */
      storageType: StoreProvider | string | undefined;
      storeOptions: Readonly<Record<string, unknown>>;
      storeEnv: Environment | undefined;
      resolveFrom: string | URL | undefined;
      onWarning: ((warning: ClaimCheckWarning) => void) | undefined;
    };

/**
 * Validates `config` and fills in the defaults; every problem is an `INVALID_CONFIG` error naming the
 * field. The store's own options are checked against its provider's descriptions once it is loaded.
 */
export function resolveConfig(config: ManagerConfig): ResolvedConfig {
  if (typeof config !== 'object' || (config as unknown) === null) throw configError('config must be an object');
  checkNames(config);
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
  for (const hook of ['onEvent', 'onWarning'] as const) {
    if (config[hook] !== undefined && typeof config[hook] !== 'function') throw configError(`${hook} must be a function`);
  }
  return {
    enabled: booleanField(config, 'enabled'),
    thresholdBytes,
    codec: compressionCodecOf(config),
    maxPayloadBytes,
    onEvent: config.onEvent,
    onWarning: config.onWarning ?? emitProcessWarning,
    backend: backendChoice(config),
  };
}

function backendChoice(config: ManagerConfig): BackendChoice {
  if (config.store !== undefined) {
    checkStore(config.store);
    return { store: config.store };
  }
  const { storageType, storeOptions = {}, storeEnv, resolveFrom, onWarning } = config;
  if (typeof storageType === 'string') {
    if (storageType.trim() !== '') packageOf(storageType.trim());
  } else if (storageType !== undefined && !isStoreProvider(storageType)) {
    throw configError('storageType must be a store name, a package name or a store provider (a name, option descriptions and create)');
  }
  for (const [field, value] of [['storeOptions', storeOptions], ['storeEnv', storeEnv ?? {}]] as const) {
    if (typeof value !== 'object' || (value as unknown) === null) throw configError(`${field} must be an object`);
  }
  const named = typeof storageType === 'string' ? storageType.trim() || undefined : storageType;
  return { storageType: named, storeOptions, storeEnv, resolveFrom, onWarning };
}

// A misspelt or retired field would otherwise be ignored in silence, and a store created without it.
function checkNames(config: ManagerConfig): void {
  const known = new Set(managerOptions.map(({ name }) => name));
  const unknown = Object.keys(config).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw configError(
      `unknown option${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (options: ${[...known].join(', ')}; ` +
        `the store's own options go in storeOptions, as its provider describes them)`,
    );
  }
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

function booleanField(config: ManagerConfig, field: 'enabled' | 'compressionEnabled'): boolean {
  const value: unknown = config[field] ?? defaults[field];
  if (typeof value !== 'boolean') throw configError(`${field} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** `INVALID_CONFIG` unless `store` has every method of the contract; `what` names it in the message. */
export function checkStore(store: unknown, what = 'store'): asserts store is ObjectStore {
  const methods = ['put', 'get', 'delete', 'health', 'listKeys', 'listEntries', 'putStream', 'getStream', 'close'] as const;
  const missing = methods.filter((method) => typeof (store as Partial<ObjectStore> | null)?.[method] !== 'function');
  if (missing.length > 0) throw configError(`${what} is not an ObjectStore: it has no ${missing.join(', ')}`);
}
