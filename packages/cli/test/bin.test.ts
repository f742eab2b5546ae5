import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import manifest from '../package.json' with { type: 'json' };

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const shim = fileURLToPath(new URL('../bin/claimcheck.js', import.meta.url));

describe('the claimcheck binary from a clone', () => {
  it('runs from the repository root with the documented `pnpm exec claimcheck`', async () => {
    const { stdout } = await promisify(execFile)('pnpm', ['exec', 'claimcheck', '--version'], { cwd: repoRoot });
    expect(stdout).toBe(`claimcheck ${manifest.version}\n`);
  });

  it('says to run pnpm build when the clone was never built', async () => {
    const unbuilt = await mkdtemp(join(tmpdir(), 'claimcheck-unbuilt-'));
    try {
      await mkdir(join(unbuilt, 'bin'));
      await copyFile(shim, join(unbuilt, 'bin', 'claimcheck.js'));
      const failure = (await promisify(execFile)(process.execPath, [join(unbuilt, 'bin', 'claimcheck.js'), '--version']).catch(
        (error: unknown) => error,
      )) as { code: number; stderr: string };
      expect(failure.code).toBe(1);
      expect(failure.stderr).toBe('claimcheck: not built yet: run `pnpm build` at the root of the repository first\n');
    } finally {
      await rm(unbuilt, { recursive: true, force: true });
    }
  });
});

describe('Ctrl-C', () => {
  it('stops `put -` on an idle stdin at the first SIGINT, with ABORTED, while stdin stays open', async () => {
    const basePath = await mkdtemp(join(tmpdir(), 'claimcheck-sigint-'));
    try {
      const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
      const child = spawn(process.execPath, [bin, 'put', '-'], {
        env: { PATH: process.env.PATH ?? '', BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: basePath },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // The store's layout marker is written once `put` has created its store, which bin.js does after
      // installing its SIGINT handler: from then on it is waiting on stdin, which is never closed.
      await vi.waitFor(() => {
        expect(existsSync(join(basePath, '.claimcheck-store.json'))).toBe(true);
      }, { timeout: 15_000, interval: 20 });
      child.kill('SIGINT');
      const [code] = (await once(child, 'exit')) as [number];
      child.stdin.destroy();
      expect(code).toBe(130);
      expect(stderr).toContain('ABORTED');
      expect(await readdir(basePath)).toEqual(['.claimcheck-store.json']);
    } finally {
      await rm(basePath, { recursive: true, force: true });
    }
  }, 20_000);
});
