import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { temporaryDirectory } from './support/temporary-directory.js';

const script = fileURLToPath(new URL('./fixtures/stream-memory.mjs', import.meta.url));

// Node 24's V8 sizes its young generation from the heap it sees, adding some 30 MiB of RSS that is
// the runtime's, not the store's (Node 22: 17 MiB growth, Node 24: 54 MiB, the same code). Fixing
// the nursery measures what the store buffers, on every Node version alike.
const fixedNursery = ['--max-semi-space-size=16'];

// Measured in a process of its own, so that the test runner's memory does not count. The benchmark
// runs the same script with 1 GiB.
it('putStream and getStream of a 256 MiB stream grow RSS by less than 64 MiB', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [...fixedNursery, script, await temporaryDirectory(), '256']);
  const measured = JSON.parse(stdout) as { putGrowthMiB: number; getGrowthMiB: number; peakGrowthMiB: number; intact: boolean };
  expect(measured.intact).toBe(true);
  expect(measured.putGrowthMiB).toBeLessThan(64);
  expect(measured.getGrowthMiB).toBeLessThan(64);
  expect(measured.peakGrowthMiB).toBeLessThan(64);
}, 120_000);
