import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeTests } from '../../../scripts/readme-examples.mjs';

// The README's script calls `claimcheck` by name, as it would once installed.
const bin = fileURLToPath(new URL('../bin', import.meta.url));
await readmeTests(fileURLToPath(new URL('..', import.meta.url)), { minimumExamples: 1, env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` } });
