import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
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
