#!/usr/bin/env node
import { ExitCode } from './exit-codes.js';
import { main } from './main.js';

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort(new Error('interrupted'));
});
process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).catch(() => ExitCode.failure);
// A command that stopped reading stdin (Ctrl-C on an idle `put -`) must not wait for it to end.
process.stdin.destroy();
