import { isStoreKey } from '@claimcheck/core';
import type { Command } from '../command.js';
import { readReferenceArgument } from '../reference-input.js';

/** `claimcheck rm <reference|key|file|->`: deletes a blob. */
export const rmCommand: Command = {
  name: 'rm',
  summary: 'delete the blob behind a reference (or a bare key)',
  usage: 'claimcheck rm <reference|key|file|->',
  help: 'Deletes the blob a reference points to; a bare store key, as `ls` prints it, works too.\nDeleting a blob that is already gone succeeds.',
  options: {},
  maxPositionals: 1,
  async run({ positionals: [argument], io, manager }) {
    const claimCheck = await manager();
    if (isStoreKey(argument)) await (await claimCheck.store).delete(argument, { signal: io.signal });
    else await claimCheck.delete(await readReferenceArgument(argument, io), { signal: io.signal });
  },
};
