import { startFauxqs } from 'fauxqs';
import type { TestProject } from 'vitest/node';
import { s3TargetFromEnv } from '../../../../scripts/s3-target.mjs';
import { startS3rver } from '../../../../scripts/s3rver.mjs';

/**
 * The servers the suite runs against: fauxqs for SQS and SNS, and the S3 server named by
 * CLAIMCHECK_S3_* (store-r2's RGW suite sets them), otherwise an s3rver started here. Both listen on
 * free ports and are stopped after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  project.provide('brokerEndpoint', `http://127.0.0.1:${fauxqs.port}`);
  const external = s3TargetFromEnv();
  if (external !== undefined) {
    project.provide('s3Target', external);
    return () => fauxqs.stop();
  }
  const s3 = await startS3rver();
  const { server, endpoint, bucket, region, accessKeyId, secretAccessKey } = s3;
  project.provide('s3Target', { server, endpoint, bucket, region, accessKeyId, secretAccessKey });
  return async () => {
    await Promise.all([fauxqs.stop(), s3.stop()]);
  };
}
