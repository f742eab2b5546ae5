import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { temporaryDirectory } from './support/temporary-directory.js';

const script = fileURLToPath(new URL('./fixtures/stream-memory.mjs', import.meta.url));

// Measured in a process of its own, so that the test runner's memory does not count. The benchmark
// runs the same script with 1 GiB.
it('putStream and getStream of a 256 MiB stream grow RSS by less than 64 MiB', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [script, await temporaryDirectory(), '256']);
  const measured = JSON.parse(stdout) as { putGrowthMiB: number; getGrowthMiB: number; peakGrowthMiB: number; intact: boolean };
  expect(measured.intact).toBe(true);
  expect(measured.putGrowthMiB).toBeLessThan(64);
  expect(measured.getGrowthMiB).toBeLessThan(64);
  expect(measured.peakGrowthMiB).toBeLessThan(64);
}, 120_000);
