import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const suiteFile = fileURLToPath(new URL('./node/memory-store.conformance.test.mjs', import.meta.url));

it('MemoryStore passes the conformance suite under node:test', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--test', '--test-reporter=tap', suiteFile], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(stdout)?.[1]);
  expect(count('fail')).toBe(0);
  expect(count('pass')).toBeGreaterThan(40);
}, 180_000);
