import type { Command } from '../command.js';

/** `claimcheck health`: checks the configured store. */
export const healthCommand: Command = {
  name: 'health',
  summary: 'check that the configured store is usable, and show where it is',
  usage: 'claimcheck health',
  help:
    'Checks the store configured by the environment: exit code 0 and `ok: <store> is usable` when\n' +
    'usable, with the directory (and the variable that chose it) or the bucket; an error line with its\n' +
    'code otherwise.',
  options: {},
  maxPositionals: 0,
  async run({ io, manager, location }) {
    await (await manager()).health({ signal: io.signal });
    io.stdout.write(`ok: ${(await location()).summary} is usable\n`);
  },
};
