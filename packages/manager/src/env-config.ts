import { homedir } from 'node:os';
import { join } from 'node:path';
import { compressionCodecs, type CompressionCodec } from './compression.js';
import { configError } from './config-error.js';
import { filesystemLayouts, storageTypes, type FilesystemLayout, type ManagerConfig, type StorageType } from './manager-config.js';

/** The environment variables `configFromEnv` reads, by config field. */
export const environmentVariables = {
  storageType: 'BLOB_STORAGE_TYPE',
  filesystemBasePath: 'BLOB_STORAGE_PATH',
  filesystemLayout: 'BLOB_STORAGE_LAYOUT',
  enabled: 'CLAIMCHECK_ENABLED',
  thresholdBytes: 'CLAIMCHECK_THRESHOLD_BYTES',
  compressionEnabled: 'CLAIMCHECK_COMPRESSION_ENABLED',
  compression: 'CLAIMCHECK_COMPRESSION',
  maxPayloadBytes: 'CLAIMCHECK_MAX_PAYLOAD_BYTES',
  r2Bucket: 'R2_BUCKET',
  r2Endpoint: 'R2_ENDPOINT',
  r2AccessKeyId: 'R2_ACCESS_KEY_ID',
  r2SecretAccessKey: 'R2_SECRET_ACCESS_KEY',
  r2Region: 'R2_REGION',
  r2KeyPrefix: 'R2_KEY_PREFIX',
  r2ForcePathStyle: 'R2_FORCE_PATH_STYLE',
} as const;

/** Where the filesystem backend keeps blobs when `BLOB_STORAGE_PATH` is unset. */
export function defaultFilesystemBasePath(): string {
  return join(homedir(), '.claimcheck', 'data', 'blobs');
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads the manager's configuration from environment variables. A malformed value is an
 * `INVALID_CONFIG` error naming the variable; it is never replaced by a default. Unset and empty
 * variables are left to the defaults.
 */
export function configFromEnv(env: Environment = process.env): ManagerConfig {
  const config: ManagerConfig = {
    storageType: parseStorageType(env),
    filesystemBasePath: read(env, 'filesystemBasePath') ?? defaultFilesystemBasePath(),
  };
  const layout = parseLayout(env);
  if (layout !== undefined) config.filesystemLayout = layout;
  const enabled = parseBoolean(env, 'enabled');
  if (enabled !== undefined) config.enabled = enabled;
  const compressionEnabled = parseBoolean(env, 'compressionEnabled');
  if (compressionEnabled !== undefined) config.compressionEnabled = compressionEnabled;
  const compression = parseCodec(env);
  if (compression !== undefined) config.compression = compression;
  for (const field of ['thresholdBytes', 'maxPayloadBytes'] as const) {
    const value = parseByteCount(env, field);
    if (value !== undefined) config[field] = value;
  }
  for (const field of ['r2Bucket', 'r2Endpoint', 'r2AccessKeyId', 'r2SecretAccessKey', 'r2Region', 'r2KeyPrefix'] as const) {
    const value = read(env, field);
    if (value !== undefined) config[field] = value;
  }
  const forcePathStyle = parseBoolean(env, 'r2ForcePathStyle');
  if (forcePathStyle !== undefined) config.r2ForcePathStyle = forcePathStyle;
  return config;
}

function read(env: Environment, field: keyof typeof environmentVariables): string | undefined {
  const value = env[environmentVariables[field]]?.trim();
  return value === '' ? undefined : value;
}

function parseStorageType(env: Environment): StorageType | '' {
  const value = read(env, 'storageType')?.toLowerCase();
  if (value === undefined) return '';
  if ((storageTypes as readonly string[]).includes(value)) return value as StorageType;
  throw configError(
    `${environmentVariables.storageType}=${JSON.stringify(value)} is not a storage type (supported: ${storageTypes.join(', ')})`,
  );
}

function parseLayout(env: Environment): FilesystemLayout | undefined {
  const value = read(env, 'filesystemLayout')?.toLowerCase();
  if (value === undefined) return undefined;
  if ((filesystemLayouts as readonly string[]).includes(value)) return value as FilesystemLayout;
  throw configError(
    `${environmentVariables.filesystemLayout}=${JSON.stringify(value)} is not a layout (supported: ${filesystemLayouts.join(', ')})`,
  );
}

// The spellings Go's strconv.ParseBool accepts for the common cases, so origin deployments keep working.
const booleans: Record<string, boolean> = { true: true, t: true, '1': true, false: false, f: false, '0': false };

function parseBoolean(env: Environment, field: 'enabled' | 'compressionEnabled' | 'r2ForcePathStyle'): boolean | undefined {
  const value = read(env, field);
  if (value === undefined) return undefined;
  const parsed = booleans[value.toLowerCase()];
  if (parsed === undefined) {
    throw configError(`${environmentVariables[field]}=${JSON.stringify(value)} is not a boolean (use true or false)`);
  }
  return parsed;
}

function parseCodec(env: Environment): CompressionCodec | undefined {
  const value = read(env, 'compression')?.toLowerCase();
  if (value === undefined) return undefined;
  if ((compressionCodecs as readonly string[]).includes(value)) return value as CompressionCodec;
  throw configError(`${environmentVariables.compression}=${JSON.stringify(value)} is not a codec (supported: ${compressionCodecs.join(', ')})`);
}

function parseByteCount(env: Environment, field: 'thresholdBytes' | 'maxPayloadBytes'): number | undefined {
  const value = read(env, field);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw configError(`${environmentVariables[field]}=${JSON.stringify(value)} is not a whole number of bytes`);
  }
  return parsed;
}
