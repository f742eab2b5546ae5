import { packageTestConfig } from '../../vitest.shared.ts';

// Installing tarballs with npm takes a while on a fresh cache.
export default packageTestConfig({ testTimeout: 300_000, hookTimeout: 600_000 });
