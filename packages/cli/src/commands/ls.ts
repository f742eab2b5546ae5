import type { Command } from '../command.js';
import { formatAge, formatBytes } from '../duration.js';

/** `claimcheck ls [--json]`: lists keys, sizes and ages. */
export const lsCommand: Command = {
  name: 'ls',
  summary: 'list stored blobs: key, size, age (--json for machines)',
  usage: 'claimcheck ls [--json]',
  help:
    'Lists every blob in the configured store with its size and age, streamed as the store pages\n' +
    'through them. --json prints a JSON array of {"key","size","lastModified","ageSeconds"}. On a\n' +
    'terminal, an empty store prints one line saying so.',
  options: { json: { type: 'boolean' } },
  maxPositionals: 0,
  async run({ values, io, manager, location }) {
    const store = await (await manager()).store;
    const now = Date.now();
    let first = true;
    if (values.json === true) io.stdout.write('[');
    for await (const { key, size, lastModified } of store.listEntries({ signal: io.signal })) {
      const age = now - lastModified.getTime();
      if (values.json === true) {
        const entry = { key, size, lastModified: lastModified.toISOString(), ageSeconds: Math.floor(age / 1000) };
        io.stdout.write(`${first ? '\n' : ',\n'}  ${JSON.stringify(entry)}`);
      } else {
        io.stdout.write(`${key}  ${formatBytes(size).padStart(10)}  ${formatAge(age).padStart(5)}\n`);
      }
      first = false;
    }
    if (values.json === true) io.stdout.write(first ? ']\n' : '\n]\n');
    // On a terminal, an empty store says so; a pipe gets no lines, so scripts can count them.
    else if (first && io.stdout.isTTY === true) io.stdout.write(`no blobs in ${(await location()).summary}\n`);
  },
};
