import { packageTestConfig } from '../../vitest.shared.ts';

// redis-server on a free loopback port for every test file; stopped after the run.
export default packageTestConfig({ globalSetup: ['test/setup/redis.global.ts'] });
