import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** Every package's test settings: its test/**\/*.test.ts, and the JSON report CI counts the tests from. */
export function packageTestConfig(test: NonNullable<ViteUserConfig['test']> = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...test,
    },
  });
}
