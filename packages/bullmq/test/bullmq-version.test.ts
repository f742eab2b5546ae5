import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import bullmqManifest from 'bullmq/package.json' with { type: 'json' };
import { describe, expect, inject, it } from 'vitest';
import './support/fixtures.js';

// Each run (vitest.config.ts: 6.x, vitest.bullmq5.config.ts: 5.x) proves it tests the bullmq it claims to.
describe('the bullmq behind `bullmq`', () => {
  it('is the major version the run names, in the test process', () => {
    expect(majorOf(bullmqManifest.version)).toBe(inject('bullmqMajor'));
  });

  it('is the same major version in a process the tests start', async () => {
    const script = "const { default: manifest } = await import('bullmq/package.json', { with: { type: 'json' } }); console.log(manifest.version);";
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(majorOf(stdout.trim())).toBe(inject('bullmqMajor'));
  });
});

function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}
