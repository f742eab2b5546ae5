import { packageTestConfig } from '../../vitest.shared.ts';

// Every test drives real workerd through Miniflare; one file at a time keeps the 2-core machine
// responsive. The interop test also needs an S3 server: s3rver started here, or the one named by
// CLAIMCHECK_S3_* (the RGW suite).
export default packageTestConfig({ fileParallelism: false, globalSetup: ['test/setup/s3-target.global.ts'] });
