// vitest globalSetup of every package: the whole run, its workers and every process they start get
// a private TMPDIR, removed at the end, so a test run leaves nothing in the system temp dir even where
// a test, a README example or a child process forgets to clean up after itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const systemTmp = tmpdir();
  const scratch = mkdtempSync(join(systemTmp, 'claimcheck-test-run-'));
  process.env.TMPDIR = scratch;
  return () => {
    process.env.TMPDIR = systemTmp;
    rmSync(scratch, { recursive: true, force: true });
  };
}
