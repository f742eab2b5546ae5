import { fileURLToPath } from 'node:url';
import { readmeTests } from '../../../scripts/readme-examples.mjs';

await readmeTests(fileURLToPath(new URL('..', import.meta.url)), { minimumExamples: 1 });
