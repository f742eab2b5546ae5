import { packageTestConfig } from '../../vitest.shared.ts';

// The README check (test/readmes): installs from a local registry with npm and yarn, runs and
// type-checks every example. Once per CI run, on Node 24 (`pnpm test:readmes`), not in `pnpm test`.
export default packageTestConfig({
  include: ['test/readmes/**/*.test.ts'],
  outputFile: { json: 'test-results/vitest-readmes.json' },
  testTimeout: 300_000,
  hookTimeout: 600_000,
});
