import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
