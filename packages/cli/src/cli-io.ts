import type { Readable, Writable } from 'node:stream';

/** Where a command reads and writes: the process's streams in the binary, buffers in tests. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** Fires on Ctrl-C; operations stop with ABORTED. */
  signal: AbortSignal;
}
