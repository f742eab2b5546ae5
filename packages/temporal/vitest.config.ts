import { packageTestConfig } from '../../vitest.shared.ts';

// The S3 cases run against the server CLAIMCHECK_S3_* names (RGW in CI), otherwise an s3rver started here.
export default packageTestConfig({ globalSetup: ['test/setup/s3.global.ts'] });
