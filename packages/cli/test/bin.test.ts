import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
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
      // The store's layout marker appears once the CLI has its SIGINT handler and its store: it then
      // reads, or is about to read, the idle stdin. Interrupt it then; stdin is never closed.
      await appears(join(basePath, '.claimcheck-store.json'));
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

// Resolves once `path` exists: checked every 20 ms, for at most 15 s (then the test fails, saying so).
async function appears(path: string): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 20) {
    if (await access(path).then(() => true, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} did not appear within 15 s`);
}
