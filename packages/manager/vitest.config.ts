import { packageTestConfig } from '../../vitest.shared.ts';

// s3rver on a free loopback port, for the checks that run against R2Store.
export default packageTestConfig({ globalSetup: ['test/setup/s3rver.global.ts'] });
