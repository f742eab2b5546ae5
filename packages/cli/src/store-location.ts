import type { ManagerConfig } from '@claimcheck/manager';

/** Where the configured store keeps its blobs, and which setting chose it: what the user must see. */
export interface StoreLocation {
  /** `filesystem` or `r2`. */
  storage: string;
  /** The directory of a filesystem store. */
  path?: string;
  /** The bucket of an R2 store. */
  bucket?: string;
  /** The key prefix of an R2 store, if it has one. */
  keyPrefix?: string;
  /** One phrase for messages: `filesystem store at /x (BLOB_STORAGE_PATH)`. */
  description: string;
}

/** Describes the store that `config` (read from `env`) opened under the name `storage`. */
export function storeLocation(storage: string, config: ManagerConfig, env: Readonly<Record<string, string | undefined>>): StoreLocation {
  if (storage === 'filesystem') {
    const path = config.filesystemBasePath ?? '';
    const origin = (env.BLOB_STORAGE_PATH ?? '').trim() === '' ? 'the default, as BLOB_STORAGE_PATH is unset' : 'BLOB_STORAGE_PATH';
    return { storage, path, description: `filesystem store at ${path} (${origin})` };
  }
  const bucket = config.r2Bucket ?? '';
  const keyPrefix = config.r2KeyPrefix === undefined || config.r2KeyPrefix === '' ? undefined : config.r2KeyPrefix;
  const where = `${storage} bucket ${bucket}${config.r2Endpoint === undefined ? '' : ` at ${config.r2Endpoint}`}`;
  return {
    storage,
    bucket,
    ...(keyPrefix === undefined ? {} : { keyPrefix }),
    description: keyPrefix === undefined ? `${where} (no key prefix)` : `${where}, key prefix ${keyPrefix}`,
  };
}
