import type { TestProject } from 'vitest/node';
import { startS3rver } from '../../../../scripts/s3rver.mjs';

/** Starts s3rver on a free loopback port for the R2 half of the manager's checks; stops it after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startS3rver({ bucket: 'manager-test' });
  const { endpoint, bucket, accessKeyId, secretAccessKey } = server;
  project.provide('s3rver', { endpoint, bucket, accessKeyId, secretAccessKey });
  return () => server.stop();
}
