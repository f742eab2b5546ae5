import { isKeyPrefix, type ObjectStore } from '@claimcheck/core';
import type { FilesystemStore } from '@claimcheck/store-fs';
import type { Command } from '../command.js';
import { formatBytes, parseDuration } from '../duration.js';
import { UsageError } from '../usage-error.js';

/** `claimcheck sweep --older-than 7d`: removes old blobs. */
export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'remove blobs older than a duration (--older-than 7d)',
  usage: 'claimcheck sweep --older-than <duration> [--prefix <key prefix>] [--dry-run] [--whole-bucket]',
  help:
    'Removes every blob last written longer ago than the duration (7d, 12h, 30m, 45s, 2w). --dry-run\n' +
    'only reports what would go. References to removed blobs then fail with NOT_FOUND, so choose a\n' +
    'duration longer than any workflow that may still hold one. On R2 or S3, prefer a lifecycle rule.\n' +
    'A store whose space others may share (an R2 bucket with no key prefix set) holds whatever else is\n' +
    'there too, so sweep refuses unless --whole-bucket says all of it is claimcheck\'s. --prefix ns/billing\n' +
    'removes only blobs whose keys start with that key prefix (a Temporal namespace\'s, say).',
  options: { 'older-than': { type: 'string' }, prefix: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'whole-bucket': { type: 'boolean' } },
  maxPositionals: 0,
  async run({ values, io, manager, location }) {
    const olderThan = values['older-than'];
    if (typeof olderThan !== 'string') throw new UsageError('sweep needs --older-than, e.g. --older-than 7d');
    const olderThanMs = parseDuration(olderThan, '--older-than');
    const prefix = values.prefix;
    if (prefix !== undefined && !isKeyPrefix(prefix)) {
      throw new UsageError(`--prefix takes a key prefix such as ns/billing (segments of A-Z a-z 0-9 . _ ~ % - joined by /), not ${JSON.stringify(prefix)}`);
    }
    const dryRun = values['dry-run'] === true;
    const where = await location();
    const namespace = where.unsetNamespace;
    if (!dryRun && namespace !== undefined && values['whole-bucket'] !== true) {
      throw new UsageError(
        `sweep would delete every old UUID-named object in ${where.summary}, other applications' too: ` +
          `set ${namespace.env ?? namespace.name} to the store's ${namespace.name}, or pass --whole-bucket if the whole space is claimcheck's`,
      );
    }
    const store = await (await manager()).store;
    if (!dryRun && prefix === undefined && hasOwnSweep(store)) {
      // The filesystem store's own sweep also removes temp files that crashed writes left behind.
      const report = await store.sweep({ olderThan: olderThanMs, signal: io.signal });
      const { removedBlobs, removedTempFiles, bytesFreed } = report;
      io.stdout.write(`removed ${removedBlobs} blob${removedBlobs === 1 ? '' : 's'} and ${removedTempFiles} temp file${removedTempFiles === 1 ? '' : 's'} (${formatBytes(bytesFreed)}) older than ${olderThan} from ${where.summary}\n`);
      return;
    }
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let bytes = 0;
    for await (const { key, size, lastModified } of store.listEntries({ signal: io.signal })) {
      if (lastModified.getTime() >= cutoff || (prefix !== undefined && !key.startsWith(`${prefix}/`))) continue;
      if (!dryRun) await store.delete(key, { signal: io.signal });
      removed++;
      bytes += size;
    }
    const under = prefix === undefined ? '' : ` under ${prefix}/`;
    io.stdout.write(`${dryRun ? 'would remove' : 'removed'} ${removed} blob${removed === 1 ? '' : 's'} (${formatBytes(bytes)}) older than ${olderThan}${under} from ${where.summary}\n`);
  },
};

function hasOwnSweep(store: ObjectStore): store is ObjectStore & Pick<FilesystemStore, 'sweep'> {
  return typeof (store as Partial<FilesystemStore>).sweep === 'function';
}
