import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from '../command.js';
import { withProgress } from '../progress.js';

/** `claimcheck put [file|-]`: stores a file or stdin and prints its reference. */
export const putCommand: Command = {
  name: 'put',
  summary: 'store a file (or stdin) and print its reference',
  usage: 'claimcheck put [file|-]',
  help: 'Stores the file, or standard input when the file is - or missing, whatever its size, and prints\nthe reference that retrieves it. Large payloads are compressed (zstd unless\nCLAIMCHECK_COMPRESSION says gzip) when that shrinks them.',
  options: {},
  maxPositionals: 1,
  async run({ positionals: [file], io, manager }) {
    const fromStdin = file === undefined || file === '-';
    const size = fromStdin ? undefined : (await stat(file)).size;
    const source = fromStdin ? io.stdin : createReadStream(file);
    const reference = await (await manager()).offloadStream(withProgress(source, size, io.stderr, 'put'), {
      force: true,
      signal: io.signal,
    });
    io.stdout.write(`${new TextDecoder().decode(reference)}\n`);
  },
};
