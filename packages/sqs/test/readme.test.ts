import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { readmeTests } from '../../../scripts/readme-examples.mjs';
import { s3Target } from './support/servers.js';

// The examples read their settings from the environment, as an application would; here they point
// at the loopback servers. Each example deletes the queues, topics and payloads it makes.
const target = s3Target();
await readmeTests(fileURLToPath(new URL('..', import.meta.url)), {
  minimumExamples: 3,
  env: {
    PAYLOAD_BUCKET: target.bucket,
    S3_ENDPOINT: target.endpoint,
    S3_ACCESS_KEY_ID: target.accessKeyId,
    S3_SECRET_ACCESS_KEY: target.secretAccessKey,
    SQS_ENDPOINT: inject('brokerEndpoint'),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  },
});
