import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseReference } from '@claimcheck/manager';
import type { Command } from '../command.js';
import { withProgress } from '../progress.js';
import { readReferenceArgument } from '../reference-input.js';

/** `claimcheck get <reference|file|->`: writes the original bytes to stdout or a file. */
export const getCommand: Command = {
  name: 'get',
  summary: 'write the original bytes of a reference to stdout or -o FILE',
  usage: 'claimcheck get <reference|file|-> [-o FILE]',
  help:
    'Reads a reference (given as the argument, from a file, or from standard input with -) and writes\n' +
    'the original bytes, checked against the reference’s size and SHA-256. With -o FILE the bytes go to a\n' +
    'temporary file that is renamed into place only once they are verified: FILE is never half-written.',
  options: { output: { type: 'string', short: 'o' } },
  maxPositionals: 1,
  async run({ positionals: [argument], values, io, manager }) {
    const reference = await readReferenceArgument(argument, io);
    const { size } = parseReference(reference);
    const stream = withProgress(await (await manager()).retrieveStream(reference, { signal: io.signal }), size, io.stderr, 'get');
    const output = values.output;
    if (typeof output !== 'string' || output === '-') {
      await pipeline(stream, io.stdout, { end: false });
      return;
    }
    const temp = join(dirname(output), `.${basename(output)}.${randomUUID()}.part`);
    try {
      // flush: the bytes reach the disk before the rename makes them visible under FILE.
      await pipeline(stream, createWriteStream(temp, { flags: 'wx', flush: true }));
      await rename(temp, output);
    } finally {
      await rm(temp, { force: true });
    }
  },
};
