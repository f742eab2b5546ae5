import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from './support/temporary-directory.js';

const script = fileURLToPath(new URL('./fixtures/burst.mjs', import.meta.url));

// Runs the burst in a child whose open-file limit is 256, as a small container's might be.
async function burst(count: number, maxOpenFiles?: number) {
  const args = [script, await temporaryDirectory(), String(count), ...(maxOpenFiles === undefined ? [] : [String(maxOpenFiles)])];
  const { stdout } = await promisify(execFile)('bash', ['-c', 'ulimit -n 256 && exec "$0" "$@"', process.execPath, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as { puts: number; gets: number; streams: number; intact: boolean; failures: Record<string, number> };
}

describe('a burst under ulimit -n 256', () => {
  it('2,000 concurrent puts, then 2,000 gets and 2,000 streams, lose nothing: the store queues for descriptors', async () => {
    expect(await burst(2000)).toEqual({ puts: 2000, gets: 2000, streams: 2000, intact: true, failures: {} });
  }, 120_000);

  it('without a limit below the process’s, the same burst fails with EMFILE (so the test above can fail)', async () => {
    const outcome = await burst(2000, 100_000);
    expect(outcome.puts).toBeLessThan(2000);
    expect(outcome.failures.STORE_FAILURE).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a maxOpenFiles that is not a whole number of at least 1', async () => {
    const { FilesystemStore } = await import('../src/index.js');
    const basePath = await temporaryDirectory();
    for (const maxOpenFiles of [0, 1.5, -1, Number.NaN]) {
      expect(() => new FilesystemStore({ basePath, maxOpenFiles })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error);
    }
  });
});
