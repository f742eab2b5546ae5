export type { CliIo } from './cli-io.js';
export { ExitCode, exitCodeFor } from './exit-codes.js';
export { main } from './main.js';
