import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasErrorCode } from '@claimcheck/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinStores, configFromEnv, createManager, loadStoreProvider, parseReference } from '../src/index.js';
import { jsonPayload } from './support/payloads.js';

const fixtureDirectory = dirname(createRequire(import.meta.url).resolve('@acme/claimcheck-store-x/package.json'));

// An application of its own, outside the manager's reach: its node_modules holds packages the
// manager's own import() cannot see, as under pnpm.
let application: string;
beforeAll(async () => {
  application = await mkdtemp(join(tmpdir(), 'claimcheck-application-'));
  const modules = join(application, 'node_modules');
  await mkdir(join(modules, '@acme'), { recursive: true });
  await symlink(fixtureDirectory, join(modules, '@acme', 'claimcheck-store-y'), 'dir');
  await mkdir(join(modules, 'not-a-store'));
  await writeFile(join(modules, 'not-a-store', 'package.json'), JSON.stringify({ name: 'not-a-store', type: 'module', exports: './index.js' }));
  await writeFile(join(modules, 'not-a-store', 'index.js'), 'export const store = {};\n');
  // A store package that exports for `import` only, as many ES-module-only packages do: `require` cannot resolve it.
  await mkdir(join(modules, 'esm-only-store'));
  const exports = { '.': { types: './index.d.ts', import: './index.js' } };
  await writeFile(join(modules, 'esm-only-store', 'package.json'), JSON.stringify({ name: 'esm-only-store', type: 'module', exports }));
  await writeFile(join(modules, 'esm-only-store', 'index.js'), `export { storeProvider } from ${JSON.stringify(pathToFileURL(join(fixtureDirectory, 'index.js')).href)};\n`);
});
afterAll(async () => {
  await rm(application, { recursive: true, force: true });
});

describe('a third party’s store, chosen by name', () => {
  it('BLOB_STORAGE_TYPE alone selects it, and its own variables configure it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'acme-blobs-'));
    try {
      const env = { BLOB_STORAGE_TYPE: '@acme/claimcheck-store-x', ACME_STORE_DIR: directory, CLAIMCHECK_THRESHOLD_BYTES: '1024' };
      const manager = await createManager(configFromEnv(env));
      const payload = jsonPayload(20_000);
      const reference = await manager.offload(payload);
      expect(parseReference(reference).storage).toBe('acme');
      expect(await readdir(directory)).toEqual([parseReference(reference).key]);
      expect(Buffer.from(await manager.retrieve(reference)).equals(payload)).toBe(true);
      expect((await manager.describeStore()).summary).toBe(`acme store, directory=${directory} (ACME_STORE_DIR)`);
      await manager.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('is resolved from the application (resolveFrom), which the manager’s own import cannot see', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'acme-blobs-'));
    try {
      const error = await createManager({ storageType: '@acme/claimcheck-store-y', storeOptions: { directory } }).catch((caught: unknown) => caught);
      expect(hasErrorCode(error, 'BACKEND_NOT_INSTALLED')).toBe(true);
      expect((error as Error).message).toMatch(/storage type @acme\/claimcheck-store-y needs @acme\/claimcheck-store-y, which is not installed .*npm install @acme\/claimcheck-store-y/);
      const manager = await createManager({ storageType: '@acme/claimcheck-store-y', storeOptions: { directory }, resolveFrom: application });
      expect((await manager.store).name).toBe('acme');
      await manager.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('a package that exports for `import` only is loaded as the application would import it', async () => {
    expect(() => createRequire(join(application, 'x.js')).resolve('esm-only-store')).toThrow(expect.objectContaining({ code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }));
    const provider = await loadStoreProvider('esm-only-store', { resolveFrom: application });
    expect(provider.name).toBe('acme');
  });

  it('a package without a provider is INVALID_CONFIG naming the package and the missing export', async () => {
    const error = await loadStoreProvider('not-a-store', { resolveFrom: application }).catch((caught: unknown) => caught);
    expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toBe(
      'manager configure failed: storage type not-a-store: package not-a-store has no storeProvider export; a store package exports its provider as storeProvider',
    );
  });

  it('its missing required option is INVALID_CONFIG naming the option and its variable', async () => {
    const error = await createManager(configFromEnv({ BLOB_STORAGE_TYPE: '@acme/claimcheck-store-x' })).catch((caught: unknown) => caught);
    expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toBe('acme config failed: missing directory (ACME_STORE_DIR)');
  });

  it('the built-in names are the only backend knowledge, each naming a package', () => {
    expect(builtinStores).toEqual({ r2: '@claimcheck/store-r2', filesystem: '@claimcheck/store-fs', fs: '@claimcheck/store-fs' });
  });
});
