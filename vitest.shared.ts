import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** Every package's test settings: its test/**\/*.test.ts, and the JSON report CI counts the tests from. */
export function packageTestConfig({ globalSetup = [], ...test }: NonNullable<ViteUserConfig['test']> = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      // A private TMPDIR for the run, removed at its end, before the package's own setup.
      globalSetup: [fileURLToPath(new URL('./scripts/test-scratch-dir.mjs', import.meta.url)), ...[globalSetup].flat()],
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...test,
    },
  });
}
