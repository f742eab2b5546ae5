import type { ObjectStore } from '@claimcheck/core';
import type { FilesystemStore } from '@claimcheck/store-fs';
import type { Command } from '../command.js';
import { formatBytes, parseDuration } from '../duration.js';
import { UsageError } from '../usage-error.js';

/** `claimcheck sweep --older-than 7d`: removes old blobs. */
export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'remove blobs older than a duration (--older-than 7d)',
  usage: 'claimcheck sweep --older-than <duration> [--dry-run] [--whole-bucket]',
  help:
    'Removes every blob last written longer ago than the duration (7d, 12h, 30m, 45s, 2w). --dry-run\n' +
    'only reports what would go. References to removed blobs then fail with NOT_FOUND, so choose a\n' +
    'duration longer than any workflow that may still hold one. On R2 or S3, prefer a lifecycle rule.\n' +
    'An R2 store with no key prefix (R2_KEY_PREFIX) shares its bucket with whatever else is in it, so\n' +
    'sweep refuses there unless --whole-bucket says the whole bucket belongs to claimcheck.',
  options: { 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'whole-bucket': { type: 'boolean' } },
  maxPositionals: 0,
  async run({ values, io, manager, location }) {
    const olderThan = values['older-than'];
    if (typeof olderThan !== 'string') throw new UsageError('sweep needs --older-than, e.g. --older-than 7d');
    const olderThanMs = parseDuration(olderThan, '--older-than');
    const dryRun = values['dry-run'] === true;
    const where = location();
    if (!dryRun && where.storage === 'r2' && where.keyPrefix === undefined && values['whole-bucket'] !== true) {
      throw new UsageError(
        `sweep would delete every old UUID-named object in ${where.description}, other applications' too: ` +
          'set R2_KEY_PREFIX to the store\'s prefix, or pass --whole-bucket if the whole bucket is claimcheck\'s',
      );
    }
    const store = await (await manager()).store;
    if (!dryRun && hasOwnSweep(store)) {
      // The filesystem store's own sweep also removes temp files that crashed writes left behind.
      const report = await store.sweep({ olderThan: olderThanMs, signal: io.signal });
      const { removedBlobs, removedTempFiles, bytesFreed } = report;
      io.stdout.write(`removed ${removedBlobs} blob${removedBlobs === 1 ? '' : 's'} and ${removedTempFiles} temp file${removedTempFiles === 1 ? '' : 's'} (${formatBytes(bytesFreed)}) older than ${olderThan} from ${where.description}\n`);
      return;
    }
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let bytes = 0;
    for await (const { key, size, lastModified } of store.listEntries({ signal: io.signal })) {
      if (lastModified.getTime() >= cutoff) continue;
      if (!dryRun) await store.delete(key, { signal: io.signal });
      removed++;
      bytes += size;
    }
    io.stdout.write(`${dryRun ? 'would remove' : 'removed'} ${removed} blob${removed === 1 ? '' : 's'} (${formatBytes(bytes)}) older than ${olderThan} from ${where.description}\n`);
  },
};

function hasOwnSweep(store: ObjectStore): store is ObjectStore & Pick<FilesystemStore, 'sweep'> {
  return typeof (store as Partial<FilesystemStore>).sweep === 'function';
}
