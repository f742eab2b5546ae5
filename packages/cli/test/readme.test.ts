import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeExamples, runExample } from '../../../scripts/readme-examples.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const examples = await readmeExamples(`${packageDir}/README.md`);

describe('README examples', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  for (const example of examples) {
    it(`the example at README line ${example.line} runs`, async () => {
      await expect(runExample(packageDir, example)).resolves.toBeDefined();
    });
  }
});
