import { cp, readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FilesystemStore } from '@claimcheck/store-fs';
import { parseReference } from '@claimcheck/manager';
import { ExternalStorage, type StorageDriver } from '@temporalio/common';
import { JSONToPayload, type JSONPayload } from '@temporalio/common/lib/proto-utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordedValues, recordHistory } from '../scripts/replay-history.mjs';
import { ClaimCheckStorageDriver } from '../src/index.js';
import { workflowBundle, replay } from './support/replay.js';
import { referenceContent } from './support/sdk.js';
import { filesystemStore, storeTargets } from './support/stores.js';

// The part of a history JSON the missing-blob case reads: the workflow's input payload.
interface StartedHistory {
  events: [{ workflowExecutionStartedEventAttributes: { input: { payloads: [JSONPayload] } } }];
}

const fixture = fileURLToPath(new URL('./fixtures/replay/', import.meta.url));
const { report, summary } = recordedValues();

// Counts what reaches the driver: replay must retrieve, and never store.
function counting(driver: StorageDriver) {
  const calls = { store: 0, retrieve: 0 };
  const counted: StorageDriver = {
    name: driver.name,
    type: driver.type,
    store: (context, payloads) => {
      calls.store++;
      return driver.store(context, payloads);
    },
    retrieve: (context, claims) => {
      calls.retrieve++;
      return driver.retrieve(context, claims);
    },
  };
  return { calls, counted };
}

beforeAll(async () => {
  await workflowBundle();
}, 120_000);

describe('Worker.runReplayHistory with ClaimCheckStorageDriver, no server', () => {
  it('the committed fixture replays from its committed blobs, and the workflow sees the real input and activity result', async () => {
    const blobs = await mkdtemp(join(tmpdir(), 'claimcheck-replay-'));
    await cp(join(fixture, 'blobs'), blobs, { recursive: true });
    const store = new FilesystemStore({ basePath: blobs });
    const { calls, counted } = counting(new ClaimCheckStorageDriver({ store }));
    const observed = await replay(await readFile(join(fixture, 'history.json'), 'utf8'), { externalStorage: new ExternalStorage({ drivers: [counted] }) });
    expect(observed.get('input')).toEqual(report);
    expect(observed.get('activity result')).toEqual(summary);
    expect(calls.store).toBe(0);
    expect(calls.retrieve).toBeGreaterThan(0);
    await store.close();
  });

  it.each(storeTargets)('a history recorded now on the $name store replays with the real values', async ({ create }) => {
    const driver = new ClaimCheckStorageDriver({ store: await create() });
    const dataConverter = { externalStorage: new ExternalStorage({ drivers: [driver] }) };
    const observed = await replay(await recordHistory(dataConverter), dataConverter);
    expect(observed.get('input')).toEqual(report);
    expect(observed.get('activity result')).toEqual(summary);
  });

  it('a blob deleted before its history fails the replay with NOT_FOUND, its key and what to do, not a TypeError', async () => {
    const store = await filesystemStore();
    const driver = new ClaimCheckStorageDriver({ store });
    const dataConverter = { externalStorage: new ExternalStorage({ drivers: [driver] }) };
    const history = await recordHistory(dataConverter);
    const keys: string[] = [];
    for await (const key of store.listKeys()) keys.push(key);
    const input = JSONToPayload((JSON.parse(history) as StartedHistory).events[0].workflowExecutionStartedEventAttributes.input.payloads[0]);
    const inputKey = parseReference(referenceContent(input).claimData.reference ?? '').key;
    expect(keys).toContain(inputKey);
    await store.delete(inputKey);
    const failure = await replay(history, dataConverter).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toContain('[NOT_FOUND]');
    expect(message).toContain(inputKey);
    expect(message).toContain('namespace retention');
    expect(message).not.toContain('Cannot read properties of undefined');
  });
});
