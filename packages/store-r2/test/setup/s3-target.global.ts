import type { TestProject } from 'vitest/node';
import { s3TargetFromEnv } from '../../../../scripts/s3-target.mjs';
import { startS3rver } from '../../../../scripts/s3rver.mjs';
import type { S3Target } from '../support/s3-target.js';

/**
 * The S3 server the suite runs against: the one named by CLAIMCHECK_S3_* (the RGW suite sets them),
 * otherwise an s3rver started here on a free loopback port and stopped after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = s3TargetFromEnv();
  if (external !== undefined) {
    const target: S3Target = { ...external, listsMultipartUploads: true, verifiesSignatures: true };
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
