import { packageTestConfig } from '../../vitest.shared.ts';

// Starts fauxqs (SQS and SNS) and s3rver on free loopback ports, or uses the S3 server named by
// CLAIMCHECK_S3_* (the RGW suite).
export default packageTestConfig({ globalSetup: ['test/setup/servers.global.ts'] });
