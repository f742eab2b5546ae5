import { fileURLToPath } from 'node:url';
import { readmeTests } from '../../../scripts/readme-examples.mjs';
import { localTarget } from './support/s3-target.js';

// The examples read their settings from the environment, as an application would; here it points
// at the loopback server. Each example deletes what it stores.
const target = localTarget();
await readmeTests(fileURLToPath(new URL('..', import.meta.url)), {
  minimumExamples: 3,
  env: {
    R2_BUCKET: target.bucket,
    R2_ENDPOINT: target.endpoint,
    R2_ACCESS_KEY_ID: target.accessKeyId,
    R2_SECRET_ACCESS_KEY: target.secretAccessKey,
  },
});
