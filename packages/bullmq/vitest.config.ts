import { packageTestConfig } from '../../vitest.shared.ts';

// redis-server on a free loopback port for every test file; stopped after the run. This run uses the
// `bullmq` devDependency (6.x); vitest.bullmq5.config.ts runs the same suite against 5.x.
export default packageTestConfig({ globalSetup: ['test/setup/redis.global.ts'], provide: { bullmqMajor: 6 } });
