import { startFauxqs } from 'fauxqs';
import { startRedis } from '../../../../packages/bullmq/test/setup/redis-server.js';
import { startS3rver } from '../../../../scripts/s3rver.mjs';

/** The servers the README examples need, as the packages' tests start them, and the variables that name them. */
export interface ExampleServers {
  /** The variables, in the words of the READMEs' "Run the examples" paragraphs. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts redis-server, s3rver (with one bucket) and fauxqs on free loopback ports. */
export async function startExampleServers(): Promise<ExampleServers> {
  const [redis, s3, fauxqs] = await Promise.all([startRedis(), startS3rver(), startFauxqs({ port: 0, logger: false, host: '127.0.0.1' })]);
  return {
    env: {
      REDIS_PORT: String(redis.port),
      R2_BUCKET: s3.bucket,
      R2_ENDPOINT: s3.endpoint,
      R2_ACCESS_KEY_ID: s3.accessKeyId,
      R2_SECRET_ACCESS_KEY: s3.secretAccessKey,
      SQS_ENDPOINT: `http://127.0.0.1:${fauxqs.port}`,
      PAYLOAD_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
    stop: async () => {
      await Promise.all([redis.stop(), s3.stop(), fauxqs.stop()]);
    },
  };
}
