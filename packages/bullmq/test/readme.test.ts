import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { readmeExamples, readmeTests, runExample } from '../../../scripts/readme-examples.mjs';
import './support/fixtures.js';

// The example talks to the test redis-server, whose port it reads from REDIS_PORT.
await readmeTests(fileURLToPath(new URL('..', import.meta.url)), { minimumExamples: 1, env: { REDIS_PORT: String(inject('redis').port) } });

// The README promises that without Redis the example stops at once, naming the port, instead of
// BullMQ's retrying for ever. Port 1 on loopback has no listener.
describe('the README example without Redis', () => {
  it('fails at once with an error naming the port', async () => {
    const [example] = await readmeExamples(fileURLToPath(new URL('../README.md', import.meta.url)));
    if (example === undefined) throw new Error('the README has no example');
    const failure = await runExample(fileURLToPath(new URL('..', import.meta.url)), example, { env: { REDIS_PORT: '1' }, timeoutMs: 30_000 }).catch(
      (error: unknown) => error as { stderr?: string; killed?: boolean },
    );
    expect(failure).toMatchObject({ killed: false });
    expect(failure.stderr).toContain('Error: no Redis on 127.0.0.1:1; start one or set REDIS_PORT');
  });
});
