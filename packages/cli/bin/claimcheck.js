#!/usr/bin/env node
// The `claimcheck` binary. It exists before any build, so that installing the workspace can link it
// without warnings, and from a clone that was never built it says what to run instead of a stack trace.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write('claimcheck: not built yet: run `pnpm build` at the root of the repository first\n');
  process.exitCode = 1;
}
