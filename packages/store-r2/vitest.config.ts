import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts s3rver on a free loopback port, or uses the server named by CLAIMCHECK_S3_* (the RGW suite).
    globalSetup: ['test/setup/s3-target.global.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
