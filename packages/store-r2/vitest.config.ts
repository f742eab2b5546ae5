import { packageTestConfig } from '../../vitest.shared.ts';

// Starts s3rver on a free loopback port, or uses the server named by CLAIMCHECK_S3_* (the RGW suite).
export default packageTestConfig({ globalSetup: ['test/setup/s3-target.global.ts'] });
