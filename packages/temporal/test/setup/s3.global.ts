import type { TestProject } from 'vitest/node';
import { s3TargetFromEnv } from '../../../../scripts/s3-target.mjs';
import { startS3rver } from '../../../../scripts/s3rver.mjs';

/**
 * The S3 server the suite's S3 cases run against: the one CLAIMCHECK_S3_* names (store-r2's RGW
 * suite sets them), otherwise an s3rver started here on a free loopback port and stopped after the run.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = s3TargetFromEnv();
  if (external !== undefined) {
    project.provide('s3Target', external);
    return undefined;
  }
  const s3 = await startS3rver();
  const { server, endpoint, bucket, region, accessKeyId, secretAccessKey } = s3;
  project.provide('s3Target', { server, endpoint, bucket, region, accessKeyId, secretAccessKey });
  return () => s3.stop();
}
