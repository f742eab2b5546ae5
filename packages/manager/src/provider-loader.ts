import { ClaimCheckError, isStoreProvider, type StoreProvider } from '@claimcheck/core';
import { importFromApplication } from './application-import.js';
import { builtinStores } from './builtin-stores.js';
import { configError } from './config-error.js';

/** Where `loadStoreProvider` looks for a package that is not the manager's own. */
export interface ProviderLoading {
  /** A directory or file of the application (path or `file:` URL) to resolve the package from. Default: the working directory. */
  resolveFrom?: string | URL | undefined;
}

// npm's rules for a package name: lower case, URL-safe, at most one scope.
const packageName = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** The package a storage type names: a built-in store's package, or the name itself; `INVALID_CONFIG` when it can be neither. */
export function packageOf(storageType: string): string {
  const builtin = builtinStores[storageType.toLowerCase()];
  if (builtin !== undefined) return builtin;
  if (packageName.test(storageType) && storageType.length <= 214) return storageType;
  throw configError(
    `unknown storage type: ${JSON.stringify(storageType)} (built in: ${Object.keys(builtinStores).join(', ')}; ` +
      `or the name of an installed package that exports a storeProvider)`,
  );
}

/**
 * Loads the provider of a store package by name, without a literal import of any backend, so that a
 * bundler pulls in none it is not given. A built-in store is looked up from the manager first (its
 * optional peers), any other package from the application first, because under pnpm the manager
 * cannot see the application's dependencies.
 */
export async function loadStoreProvider(storageType: string, { resolveFrom }: ProviderLoading = {}): Promise<StoreProvider> {
  const name = packageOf(storageType);
  const fromManager = () => import(/* @vite-ignore */ name) as Promise<unknown>;
  const fromApplication = () => importFromApplication(name, applicationBase(resolveFrom));
  const builtin = Object.values(builtinStores).includes(name);
  const module = await firstFound(name, builtin ? [fromManager, fromApplication] : [fromApplication, fromManager]).catch((error: unknown) => {
    throw loadError(storageType, name, error, resolveFrom);
  });
  const provider = (module as { storeProvider?: unknown } | null)?.storeProvider;
  if (!isStoreProvider(provider)) {
    const what = provider === undefined ? 'no storeProvider export' : 'a storeProvider export that is not a provider (a name, option descriptions and create)';
    throw configError(`storage type ${storageType}: package ${name} has ${what}; a store package exports its provider as storeProvider`);
  }
  return provider;
}

async function firstFound(name: string, attempts: readonly (() => Promise<unknown>)[]): Promise<unknown> {
  let notFound: unknown;
  for (const attempt of attempts) {
    try {
      return await attempt();
    } catch (error) {
      if (!isNotFound(error, name)) throw error;
      notFound ??= error;
    }
  }
  throw notFound;
}

function applicationBase(resolveFrom: string | URL | undefined): string | URL {
  if (resolveFrom === undefined) return `${process.cwd()}/`;
  // A directory must end with a separator to be resolved from, rather than beside.
  if (typeof resolveFrom === 'string' && !resolveFrom.startsWith('file:') && !/\.[cm]?js$/.test(resolveFrom)) return `${resolveFrom.replace(/\/$/, '')}/`;
  return resolveFrom;
}

function isNotFound(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return missing && (error as Error).message.includes(name);
}

function loadError(storageType: string, name: string, error: unknown, resolveFrom: string | URL | undefined): ClaimCheckError {
  const notInstalled = isNotFound(error, name);
  const where = String(applicationBase(resolveFrom));
  return new ClaimCheckError({
    code: notInstalled ? 'BACKEND_NOT_INSTALLED' : 'STORE_FAILURE',
    operation: 'configure',
    backend: 'manager',
    detail: notInstalled
      ? `storage type ${storageType} needs ${name}, which is not installed (looked from the manager and from ${where}): npm install ${name}`
      : `loading ${name} failed: ${String(error)}`,
    cause: error,
  });
}
