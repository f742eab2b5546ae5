import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ClaimCheckError } from '@claimcheck/core';
import { referenceMarker } from '@claimcheck/manager';
import type { CliIo } from './cli-io.js';
import { UsageError } from './usage-error.js';

/** A reference is at most 1,024 bytes; input much larger than this is not a reference. */
export const maxReferenceInputBytes = 64 * 1024;

/**
 * The reference named by a command-line argument: the reference itself, `-` (or nothing) for stdin,
 * or a file that holds one. Stdin and files are read only up to 64 KiB: more is `INVALID_REFERENCE`.
 * Surrounding whitespace, such as the newline `put` prints, is ignored.
 */
export async function readReferenceArgument(argument: string | undefined, io: CliIo): Promise<Uint8Array> {
  const raw = argument === undefined || argument === '-' ? await fromStdin(io.stdin) : await fromArgument(argument);
  return new TextEncoder().encode(raw.trim());
}

async function fromArgument(argument: string): Promise<string> {
  if (argument.startsWith(referenceMarker)) return argument;
  const info = await stat(argument).catch(() => undefined);
  if (info === undefined) throw new UsageError(`${JSON.stringify(argument)} is neither a reference nor a file`);
  if (!info.isFile()) throw new UsageError(`${argument} is not a reference file`);
  if (info.size > maxReferenceInputBytes) throw tooLarge(argument);
  return readFile(argument, 'utf8');
}

// Stops reading at the cap, so a stray `cat big-file | claimcheck get -` costs 64 KiB, not the file.
async function fromStdin(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buffer.byteLength;
    if (bytes > maxReferenceInputBytes) throw tooLarge('standard input');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(source: string): ClaimCheckError {
  return new ClaimCheckError({
    code: 'INVALID_REFERENCE',
    operation: 'read',
    backend: 'cli',
    detail: `${source} holds more than ${maxReferenceInputBytes / 1024} KiB, so it is not a reference (a reference is a few hundred bytes)`,
  });
}
