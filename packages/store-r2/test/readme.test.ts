import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeExamples, runExample } from '../../../scripts/readme-examples.mjs';
import { localTarget } from './support/s3-target.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const examples = await readmeExamples(`${packageDir}/README.md`);

// The examples read their settings from the environment, as an application would; here it points
// at the loopback server. Each example deletes what it stores.
const target = localTarget();
const env = {
  R2_BUCKET: target.bucket,
  R2_ENDPOINT: target.endpoint,
  R2_ACCESS_KEY_ID: target.accessKeyId,
  R2_SECRET_ACCESS_KEY: target.secretAccessKey,
};

describe('README examples', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThan(2);
  });
  for (const example of examples) {
    it(`the example at README line ${example.line} runs`, async () => {
      await expect(runExample(packageDir, example, { env })).resolves.toBeDefined();
    });
  }
});
