import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseReference } from '@claimcheck/manager';
import type { Command } from '../command.js';
import { assertWritableOutput } from '../output-file.js';
import { withProgress } from '../progress.js';
import { readReferenceArgument } from '../reference-input.js';

/** `claimcheck get <reference|file|->`: writes the verified original bytes to stdout or a file. */
export const getCommand: Command = {
  name: 'get',
  summary: 'write the original bytes of a reference to stdout or -o FILE, verified first',
  usage: 'claimcheck get <reference|file|-> [-o FILE|-] [--stream]',
  help:
    'Reads a reference (given as the argument, from a file, or from standard input with -) and writes\n' +
    'the original bytes, checked against the reference’s size and SHA-256 before any byte is written.\n' +
    'With -o FILE the bytes go to a temporary file next to FILE that is renamed into place once\n' +
    'verified: FILE is never half-written, and an existing FILE that is not a regular file (a device,\n' +
    'FIFO, socket, directory or symlink) is refused before anything is downloaded. To standard output\n' +
    '(no -o, or -o -) the bytes are first spooled to a private temporary file, verified, then copied:\n' +
    'that costs disk space for one copy and a second pass over it. --stream writes to standard output as\n' +
    'the bytes arrive instead, without that guarantee: a failed check then comes after the bytes.',
  options: { output: { type: 'string', short: 'o' }, stream: { type: 'boolean' } },
  maxPositionals: 1,
  async run({ positionals: [argument], values, io, manager }) {
    const output = typeof values.output === 'string' && values.output !== '-' ? values.output : undefined;
    if (output !== undefined) await assertWritableOutput(output);
    const reference = await readReferenceArgument(argument, io);
    const { size } = parseReference(reference);
    const stream = withProgress(await (await manager()).retrieveStream(reference, { signal: io.signal }), size, io.stderr, 'get');
    if (output !== undefined) {
      await verifiedFile(stream, output, async (temp) => {
        await assertWritableOutput(output);
        await rename(temp, output);
      });
    } else if (values.stream === true) {
      await pipeline(stream, io.stdout, { end: false });
    } else {
      await spooledToStdout(stream, io.stdout);
    }
  },
};

/** Writes `stream` to a temp file next to `near`, hands it to `use` once complete, and always removes it. */
async function verifiedFile(stream: AsyncIterable<Uint8Array>, near: string, use: (temp: string) => Promise<void>): Promise<void> {
  const temp = join(dirname(near), `.${basename(near)}.${randomUUID()}.part`);
  try {
    // flush: the bytes reach the disk before the rename makes them visible under FILE. The manager's
    // stream rejects at its end when size or SHA-256 differ, so `use` runs only on verified bytes.
    await pipeline(stream, createWriteStream(temp, { flags: 'wx', flush: true }));
    await use(temp);
  } finally {
    await rm(temp, { force: true });
  }
}

// Standard output cannot take bytes back: spool them to a private directory, verify, then copy.
async function spooledToStdout(stream: AsyncIterable<Uint8Array>, stdout: Writable): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'claimcheck-get-'));
  try {
    await verifiedFile(stream, join(dir, 'blob'), (temp) => pipeline(createReadStream(temp), stdout, { end: false }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
