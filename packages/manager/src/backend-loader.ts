import { ClaimCheckError, type ObjectStore } from '@claimcheck/core';
import type { FilesystemBackend, R2Backend } from './resolved-config.js';

/** The package that provides each storage type; both are optional peers of the manager. */
export const backendPackages = {
  filesystem: '@claimcheck/store-fs',
  r2: '@claimcheck/store-r2',
} as const;

/** Creates the configured backend, loading its package only now, so that only installed backends are needed. */
export async function createBackendStore(settings: FilesystemBackend | R2Backend): Promise<ObjectStore> {
  if (settings.storageType === 'filesystem') {
    const { FilesystemStore } = await loadBackend('filesystem', () => import('@claimcheck/store-fs'));
    return new FilesystemStore({ basePath: settings.basePath, layout: settings.layout, onWarning: settings.onWarning });
  }
  const { R2Store } = await loadBackend('r2', () => import('@claimcheck/store-r2'));
  const { bucket, endpoint, accessKeyId, secretAccessKey, region, keyPrefix, forcePathStyle, onWarning } = settings;
  return new R2Store({ bucket, endpoint, accessKeyId, secretAccessKey, region, keyPrefix, forcePathStyle, onWarning });
}

async function loadBackend<Module>(storageType: keyof typeof backendPackages, load: () => Promise<Module>): Promise<Module> {
  const packageName = backendPackages[storageType];
  try {
    return await load();
  } catch (error) {
    const notInstalled = isModuleNotFound(error) && (error as Error).message.includes(packageName);
    throw new ClaimCheckError({
      code: notInstalled ? 'BACKEND_NOT_INSTALLED' : 'STORE_FAILURE',
      operation: 'configure',
      backend: 'manager',
      detail: notInstalled
        ? `storage type ${storageType} needs ${packageName}, which is not installed: npm install ${packageName}`
        : `loading ${packageName} failed: ${String(error)}`,
      cause: error,
    });
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
