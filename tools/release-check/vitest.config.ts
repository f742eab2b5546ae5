import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // Installing tarballs with npm takes a while on a fresh cache.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
