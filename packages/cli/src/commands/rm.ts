import { isNotFoundError, isStoreKey, type ObjectStore } from '@claimcheck/core';
import { parseReference } from '@claimcheck/manager';
import type { Command } from '../command.js';
import { confirm } from '../confirm.js';
import { readReferenceArgument } from '../reference-input.js';
import { UsageError } from '../usage-error.js';

/** `claimcheck rm <reference|key|file|-> [--yes]`: deletes a blob, once confirmed. */
export const rmCommand: Command = {
  name: 'rm',
  summary: 'delete the blob behind a reference (or a bare key), after confirmation',
  usage: 'claimcheck rm <reference|key|file|-> [--yes]',
  help:
    'Deletes the blob a reference points to; a bare store key, as `ls` prints it, works too. On a\n' +
    'terminal it asks first; elsewhere (scripts, pipes, a reference read from stdin) it needs --yes.\n' +
    'A blob that is already gone is not an error: it prints `nothing to remove`.',
  options: { yes: { type: 'boolean', short: 'y' } },
  maxPositionals: 1,
  async run({ positionals: [argument], values, io, manager, location }) {
    const key = isStoreKey(argument) ? argument : parseReference(await readReferenceArgument(argument, io)).key;
    const interactive = io.stdin.isTTY === true && argument !== undefined && argument !== '-';
    if (values.yes !== true && !interactive) {
      throw new UsageError('rm deletes for good and there is no terminal to confirm on: pass --yes');
    }
    const store = await (await manager()).store;
    const where = (await location()).summary;
    if (!(await exists(store, key, io.signal))) {
      io.stdout.write(`nothing to remove: no blob ${key} in ${where}\n`);
      return;
    }
    if (values.yes !== true && !(await confirm(io, `delete blob ${key} from ${where}?`))) {
      io.stdout.write(`kept ${key}\n`);
      return;
    }
    await store.delete(key, { signal: io.signal });
    io.stdout.write(`removed ${key}\n`);
  },
};

// `head` is optional in the contract: without it, a stream opened and closed unread tells the same.
async function exists(store: ObjectStore, key: string, signal: AbortSignal): Promise<boolean> {
  try {
    if (store.head !== undefined) {
      await store.head(key, { signal });
    } else {
      await (await store.getStream(key, { signal }))[Symbol.asyncIterator]().return?.();
    }
    return true;
  } catch (error) {
    if (isNotFoundError(error)) return false;
    throw error;
  }
}
