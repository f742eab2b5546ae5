import { ExternalStorage, type StorageDriver } from '@temporalio/common';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { recordedValues, recordHistory } from '../scripts/replay-history.mjs';
import { ClaimCheckStorageDriver } from '../src/index.js';
import { officialS3Driver } from './support/official-s3.mjs';
import { replay, workflowBundle } from './support/replay.js';
import { s3Store, s3Target } from './support/stores.js';

// Migrating from @temporalio/external-storage-s3: histories it wrote must keep replaying once our
// driver is the one new payloads go to. Both drivers are registered; the selector sends every new
// payload to ours; the SDK routes each claim to the driver whose name it records.
const { report, summary } = recordedValues();

beforeAll(async () => {
  await workflowBundle();
}, 120_000);

function drivers() {
  const official = officialS3Driver(s3Target());
  onTestFinished(() => {
    official.s3.destroy();
  });
  const ours = new ClaimCheckStorageDriver({ store: s3Store() });
  return { theirs: official.driver, ours };
}

const migrated = (ours: StorageDriver, theirs: StorageDriver) => ({ externalStorage: new ExternalStorage({ drivers: [ours, theirs], driverSelector: () => ours }) });

function driverNames(history: string): string[] {
  const names = [...history.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)].map((match) => (JSON.parse(Buffer.from(match[1] ?? '', 'base64').toString()) as { driverName?: string }).driverName);
  return names.filter((name): name is string => name !== undefined);
}

describe('with @temporalio/external-storage-s3 1.22.0, on the suite’s S3 server', () => {
  it('a history the official driver wrote replays with both drivers registered and ours selected, with the real values', async () => {
    const { ours, theirs } = drivers();
    const history = await recordHistory({ externalStorage: new ExternalStorage({ drivers: [theirs] }) });
    expect(new Set(driverNames(history))).toEqual(new Set(['aws.s3driver']));
    const observed = await replay(history, migrated(ours, theirs));
    expect(observed.get('input')).toEqual(report);
    expect(observed.get('activity result')).toEqual(summary);
  });

  it('a history half written by each (an old client, a migrated worker) replays too', async () => {
    const { ours, theirs } = drivers();
    // The client, not yet migrated, starts with the official driver; the worker already stores with ours.
    const mixed = { externalStorage: new ExternalStorage({ drivers: [ours, theirs], driverSelector: (context) => (context.target?.runId === undefined ? theirs : ours) }) };
    const history = await recordHistory(mixed);
    expect(new Set(driverNames(history))).toEqual(new Set(['aws.s3driver', 'claimcheck']));
    const observed = await replay(history, migrated(ours, theirs));
    expect(observed.get('input')).toEqual(report);
    expect(observed.get('activity result')).toEqual(summary);
  });

  it('without the official driver registered, its claims fail loudly by name', async () => {
    const { ours, theirs } = drivers();
    const history = await recordHistory({ externalStorage: new ExternalStorage({ drivers: [theirs] }) });
    await expect(replay(history, { externalStorage: new ExternalStorage({ drivers: [ours] }) })).rejects.toThrow(/aws\.s3driver/);
  });
});
