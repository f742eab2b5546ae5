import { packageTestConfig } from '../../vitest.shared.ts';

// Installing tarballs with npm takes a while on a fresh cache. The README check has its own config.
export default packageTestConfig({ exclude: ['test/readmes/**', '**/node_modules/**'], testTimeout: 300_000, hookTimeout: 600_000 });
