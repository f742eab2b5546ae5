import type { Command } from '../command.js';

/** `claimcheck health`: checks the configured store. */
export const healthCommand: Command = {
  name: 'health',
  summary: 'check that the configured store is usable',
  usage: 'claimcheck health',
  help: 'Checks the store configured by the environment: exit code 0 and `ok` when usable, an error line\nwith its code otherwise.',
  options: {},
  maxPositionals: 0,
  async run({ io, manager }) {
    const claimCheck = await manager();
    await claimCheck.health({ signal: io.signal });
    io.stdout.write(`ok: ${(await claimCheck.store).name} store is usable\n`);
  },
};
