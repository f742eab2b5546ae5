import { startFauxqs } from 'fauxqs';
import type { TestProject } from 'vitest/node';
import { startS3rver } from '../../../../scripts/s3rver.mjs';
import type { S3Target } from '../support/servers.js';

/**
 * The servers the suite runs against: fauxqs for SQS and SNS, and the S3 server named by
 * CLAIMCHECK_S3_* (store-r2's RGW suite sets them), otherwise an s3rver started here. Both listen on
 * free ports and are stopped after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  project.provide('brokerEndpoint', `http://127.0.0.1:${fauxqs.port}`);
  const env = process.env;
  if (env.CLAIMCHECK_S3_ENDPOINT !== undefined) {
    const target: S3Target = {
      server: env.CLAIMCHECK_S3_SERVER ?? 'external',
      endpoint: env.CLAIMCHECK_S3_ENDPOINT,
      bucket: required(env.CLAIMCHECK_S3_BUCKET, 'CLAIMCHECK_S3_BUCKET'),
      region: env.CLAIMCHECK_S3_REGION ?? 'auto',
      accessKeyId: required(env.CLAIMCHECK_S3_ACCESS_KEY_ID, 'CLAIMCHECK_S3_ACCESS_KEY_ID'),
      secretAccessKey: required(env.CLAIMCHECK_S3_SECRET_ACCESS_KEY, 'CLAIMCHECK_S3_SECRET_ACCESS_KEY'),
    };
    project.provide('s3Target', target);
    return () => fauxqs.stop();
  }
  const s3 = await startS3rver();
  const { server, endpoint, bucket, region, accessKeyId, secretAccessKey } = s3;
  project.provide('s3Target', { server, endpoint, bucket, region, accessKeyId, secretAccessKey });
  return async () => {
    await Promise.all([fauxqs.stop(), s3.stop()]);
  };
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new Error(`${name} must be set along with CLAIMCHECK_S3_ENDPOINT`);
  return value;
}
