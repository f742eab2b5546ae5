import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedPackages, repoRoot, run } from './support/workspace.js';

describe('release tooling', () => {
  let clone: string;
  beforeAll(async () => {
    // A clone of the committed repository, so versioning cannot touch the working tree.
    clone = await mkdtemp(join(tmpdir(), 'claimcheck-release-'));
    await run('git', ['clone', '--quiet', repoRoot, clone], repoRoot);
    // The clone shares the installed tools, so changesets finds its changelog generator.
    await symlink(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
  });
  afterAll(() => rm(clone, { recursive: true, force: true }));

  // 1.0.0, not 0.1.0: under 0.x every minor of core would fall outside its dependents' ^0.x peer
  // ranges and force a major release of every store; from 1.0.0 on, core's minors stay in range.
  it('changeset version makes a 1.0.0 first release of every package, with a changelog', async () => {
    await run(process.execPath, [join(repoRoot, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], clone);
    for (const name of publishedPackages) {
      const manifest = JSON.parse(await readFile(join(clone, 'packages', name, 'package.json'), 'utf8')) as { version: string };
      expect(manifest.version, name).toBe('1.0.0');
      const changelog = await readFile(join(clone, 'packages', name, 'CHANGELOG.md'), 'utf8');
      expect(changelog, name).toMatch(/^# @claimcheck\/[a-z0-9-]+\n\n## 1\.0\.0\n\n### Major Changes\n/);
      expect(changelog, name).toContain('First release');
    }
    const left = (await readdir(join(clone, '.changeset'))).filter((file) => file.endsWith('.md') && file !== 'README.md');
    expect(left).toEqual([]);
  });

  it('npm pack refuses, and says to use pnpm pack, which rewrites workspace: ranges', async () => {
    const error = (await run('npm', ['pack', '--dry-run'], join(clone, 'packages', 'manager')).catch((failure: unknown) => failure)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('run `pnpm pack`');
  });

  it('pnpm -r publish --dry-run is clean', async () => {
    const output = await run('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks'], repoRoot);
    for (const name of publishedPackages) expect(output).toContain(`@claimcheck/${name}`);
    expect(output).not.toMatch(/\bERR!|ERR_PNPM/);
  });
});

describe('the published packages in the workspace', () => {
  it('each declares Node 22.15+, ES modules only, its repository, bugs, homepage, the LICENSE and provenance', async () => {
    const names = (await readdir(join(repoRoot, 'packages'))).filter((name) => existsSync(join(repoRoot, 'packages', name, 'package.json')));
    expect(names).toEqual(expect.arrayContaining([...publishedPackages]));
    for (const name of names) {
      const manifest = JSON.parse(await readFile(join(repoRoot, 'packages', name, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(manifest, name).toMatchObject({
        license: 'MIT',
        engines: { node: '>=22.15' },
        repository: { type: 'git', url: 'git+https://github.com/claimcheck/claimcheck.git', directory: `packages/${name}` },
        bugs: { url: 'https://github.com/claimcheck/claimcheck/issues' },
        homepage: `https://github.com/claimcheck/claimcheck/tree/main/packages/${name}#readme`,
        publishConfig: { access: 'public', provenance: true },
        scripts: { prepack: 'node ../../scripts/require-pnpm-pack.mjs' },
        files: expect.arrayContaining(['LICENSE']) as unknown,
      });
      expect(JSON.stringify(manifest.exports ?? {}), name).not.toMatch(/require|\.cjs|\.d\.cts/);
      expect(manifest.main, name).toBeUndefined();
    }
  });
});

describe('a fresh clone', () => {
  let clone: string;
  beforeAll(async () => {
    clone = await mkdtemp(join(tmpdir(), 'claimcheck-fresh-clone-'));
    await run('git', ['clone', '--quiet', repoRoot, clone], repoRoot);
  });
  afterAll(() => rm(clone, { recursive: true, force: true }));

  // A bin that points into dist/ cannot be linked before the build: pnpm warned "Failed to create bin".
  it('installs without a single warning, before anything is built', async () => {
    const output = await run('pnpm', ['install', '--frozen-lockfile', '--offline', '--reporter=append-only'], clone);
    expect(output).toContain('Done in');
    expect(output).not.toMatch(/WARN|Failed to create bin/);
  });
});
