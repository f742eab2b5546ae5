import type { Command } from '../command.js';
import { formatAge, formatBytes } from '../duration.js';

/** `claimcheck stats [--json]`: what is stored. */
export const statsCommand: Command = {
  name: 'stats',
  summary: 'show how many blobs are stored, their total size and ages',
  usage: 'claimcheck stats [--json]',
  help:
    'Shows where the configured store is (its directory, or bucket and key prefix, with the settings\n' +
    'behind them), counts its blobs, their total and largest size, and the oldest and newest. --json\n' +
    'prints the same as one JSON object, the store\'s options under "options" (secrets masked).',
  options: { json: { type: 'boolean' } },
  maxPositionals: 0,
  async run({ values, io, manager, location }) {
    const store = await (await manager()).store;
    const where = await location();
    let blobs = 0;
    let totalBytes = 0;
    let largestBytes = 0;
    let oldest: Date | undefined;
    let newest: Date | undefined;
    for await (const { size, lastModified } of store.listEntries({ signal: io.signal })) {
      blobs++;
      totalBytes += size;
      largestBytes = Math.max(largestBytes, size);
      if (oldest === undefined || lastModified < oldest) oldest = lastModified;
      if (newest === undefined || lastModified > newest) newest = lastModified;
    }
    if (values.json === true) {
      const stats = { store: store.name, options: where.options, blobs, totalBytes, largestBytes, oldest: oldest?.toISOString() ?? null, newest: newest?.toISOString() ?? null };
      io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      return;
    }
    const now = Date.now();
    const lines = [
      `store:    ${where.summary}`,
      `blobs:    ${blobs}`,
      `total:    ${formatBytes(totalBytes)}`,
      `largest:  ${formatBytes(largestBytes)}`,
      `oldest:   ${oldest ? `${formatAge(now - oldest.getTime())} ago` : '-'}`,
      `newest:   ${newest ? `${formatAge(now - newest.getTime())} ago` : '-'}`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
  },
};
