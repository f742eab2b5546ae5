import type { TestProject } from 'vitest/node';
import { startRedis } from './redis-server.js';

/** Starts redis-server on a free loopback port for the package's tests; stops it after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis();
  project.provide('redis', { host: redis.host, port: redis.port });
  return () => redis.stop();
}
