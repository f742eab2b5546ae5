import type { TestProject } from 'vitest/node';
import { startS3rver } from '../../../../scripts/s3rver.mjs';
import type { S3Target } from '../support/s3-target.js';

/**
 * The S3 server the suite runs against: the one named by CLAIMCHECK_S3_* (the RGW suite sets them),
 * otherwise an s3rver started here on a free loopback port and stopped after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = process.env;
  if (env.CLAIMCHECK_S3_ENDPOINT !== undefined) {
    const target: S3Target = {
      server: env.CLAIMCHECK_S3_SERVER ?? 'external',
      endpoint: env.CLAIMCHECK_S3_ENDPOINT,
      bucket: required(env.CLAIMCHECK_S3_BUCKET, 'CLAIMCHECK_S3_BUCKET'),
      region: env.CLAIMCHECK_S3_REGION ?? 'auto',
      accessKeyId: required(env.CLAIMCHECK_S3_ACCESS_KEY_ID, 'CLAIMCHECK_S3_ACCESS_KEY_ID'),
      secretAccessKey: required(env.CLAIMCHECK_S3_SECRET_ACCESS_KEY, 'CLAIMCHECK_S3_SECRET_ACCESS_KEY'),
      listsMultipartUploads: true,
      verifiesSignatures: true,
    };
    project.provide('s3Target', target);
    return () => Promise.resolve();
  }
  const server = await startS3rver();
  const { endpoint, bucket, region, accessKeyId, secretAccessKey } = server;
  // s3rver answers ListMultipartUploads and AbortMultipartUpload with errors, and checks the access
  // key of a SigV4 request but not its signature.
  const target = { endpoint, bucket, region, accessKeyId, secretAccessKey, listsMultipartUploads: false, verifiesSignatures: false };
  project.provide('s3Target', { server: 's3rver', ...target });
  return () => server.stop();
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new Error(`${name} must be set along with CLAIMCHECK_S3_ENDPOINT`);
  return value;
}
