import type { TestProject } from 'vitest/node';
import { s3TargetFromEnv } from '../../../../scripts/s3-target.mjs';
import { startS3rver } from '../../../../scripts/s3rver.mjs';

/** The S3 server the interop test reads and writes through `R2Store`. */
export interface S3Target {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  server: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3Target: S3Target;
  }
}

/** The server named by CLAIMCHECK_S3_* (the RGW suite), otherwise an s3rver on a free loopback port. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = s3TargetFromEnv();
  if (external !== undefined) {
    project.provide('s3Target', external);
    return () => Promise.resolve();
  }
  const server = await startS3rver();
  const { endpoint, bucket, region, accessKeyId, secretAccessKey } = server;
  project.provide('s3Target', { server: 's3rver', endpoint, bucket, region, accessKeyId, secretAccessKey });
  return () => server.stop();
}
