import { readFile, stat } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { referenceMarker } from '@claimcheck/manager';
import type { CliIo } from './cli-io.js';
import { UsageError } from './usage-error.js';

// A reference is at most 512 bytes; anything much larger is not a reference file.
const maxReferenceFileBytes = 64 * 1024;

/**
 * The reference named by a command-line argument: the reference itself, `-` (or nothing) for stdin,
 * or a file that holds one. Surrounding whitespace, such as the newline `put` prints, is ignored.
 */
export async function readReferenceArgument(argument: string | undefined, io: CliIo): Promise<Uint8Array> {
  const raw = argument === undefined || argument === '-' ? await text(io.stdin) : await fromArgument(argument);
  return new TextEncoder().encode(raw.trim());
}

async function fromArgument(argument: string): Promise<string> {
  if (argument.startsWith(referenceMarker)) return argument;
  const info = await stat(argument).catch(() => undefined);
  if (info === undefined) throw new UsageError(`${JSON.stringify(argument)} is neither a reference nor a file`);
  if (!info.isFile() || info.size > maxReferenceFileBytes) throw new UsageError(`${argument} is not a reference file`);
  return readFile(argument, 'utf8');
}
