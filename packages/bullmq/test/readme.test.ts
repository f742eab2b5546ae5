import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { readmeTests } from '../../../scripts/readme-examples.mjs';
import './support/fixtures.js';

// The example talks to the test redis-server, whose port it reads from REDIS_PORT.
await readmeTests(fileURLToPath(new URL('..', import.meta.url)), { minimumExamples: 1, env: { REDIS_PORT: String(inject('redis').port) } });
