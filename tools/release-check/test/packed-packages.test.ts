import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshProject, packAll, publishedPackages, repoRoot, run } from './support/workspace.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('the packed packages, installed with npm into fresh projects', () => {
  let full: string;
  let fsOnly: string;
  let tarballDir: string;
  beforeAll(async () => {
    const tarballs = await packAll();
    tarballDir = dirname(tarballs.core);
    full = await freshProject([...Object.values(tarballs), '@types/node@22']);
    fsOnly = await freshProject([tarballs.core, tarballs.manager, tarballs['store-fs']]);
  });
  afterAll(async () => {
    await Promise.all([full, fsOnly, tarballDir].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('a project that installs only store-fs gets no AWS SDK, works in local mode, and is told what r2 needs', async () => {
    expect(existsSync(join(fsOnly, 'node_modules', '@aws-sdk'))).toBe(false);
    expect(existsSync(join(fsOnly, 'node_modules', '@claimcheck', 'store-r2'))).toBe(false);
    await copyFile(fixture('only-store-fs.mjs'), join(fsOnly, 'only-store-fs.mjs'));
    const result = JSON.parse(await run(process.execPath, ['only-store-fs.mjs'], fsOnly)) as { code: string; message: string };
    expect(result.code).toBe('BACKEND_NOT_INSTALLED');
    expect(result.message).toContain('npm install @claimcheck/store-r2');
  });

  it('the library works from an ES module', async () => {
    await copyFile(fixture('use-from-esm.mjs'), join(full, 'use-from-esm.mjs'));
    expect(await run(process.execPath, ['use-from-esm.mjs'], full)).toBe('esm ok function function function\n');
  });

  it('every installed package carries the MIT LICENSE, its repository, bugs and homepage, and publishes with provenance', async () => {
    for (const name of publishedPackages) {
      const dir = join(full, 'node_modules', '@claimcheck', name);
      expect(await readFile(join(dir, 'LICENSE'), 'utf8'), name).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the claimcheck authors\n/);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(manifest, name).toMatchObject({
        license: 'MIT',
        repository: { type: 'git', url: 'git+https://github.com/claimcheck/claimcheck.git', directory: `packages/${name}` },
        bugs: { url: 'https://github.com/claimcheck/claimcheck/issues' },
        homepage: `https://github.com/claimcheck/claimcheck/tree/main/packages/${name}#readme`,
        publishConfig: { provenance: true },
        engines: { node: '>=22.15' },
      });
    }
  });

  // There is no CommonJS build: on Node 22.15+ require() loads the ES modules.
  it('the library works from CommonJS', async () => {
    await copyFile(fixture('use-from-cjs.cjs'), join(full, 'use-from-cjs.cjs'));
    expect(await run(process.execPath, ['use-from-cjs.cjs'], full)).toBe('cjs ok function\n');
  });

  it('a TypeScript consumer type-checks in both module systems, and misuse is a type error', async () => {
    for (const file of ['consumer.mts', 'consumer.cts', 'tsconfig.consumer.json']) await copyFile(fixture(file), join(full, file));
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.consumer.json'], full);
  });

  it('the claimcheck binary stores and retrieves from the installed package', async () => {
    const blobs = await mkdtemp(join(tmpdir(), 'claimcheck-cli-blobs-'));
    const env = { BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: blobs };
    const bin = join(full, 'node_modules', '.bin', 'claimcheck');
    const reference = (await run(bin, ['put', fixture('use-from-esm.mjs')], full, env)).trim();
    const restored = await run(bin, ['get', reference], full, env);
    expect(restored).toContain("A user's ES module");
    expect(await run(bin, ['stats', '--json'], full, env)).toContain('"blobs": 1');
    await rm(blobs, { recursive: true, force: true });
  });
});
