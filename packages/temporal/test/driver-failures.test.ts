import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClaimCheckError, MemoryStore } from '@claimcheck/core';
import { createManager, parseReference } from '@claimcheck/manager';
import { ExternalStorage, StorageDriverClaim, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ClaimCheckStorageDriver } from '../src/index.js';
import { throughDataConverter, workflowTarget } from './support/sdk.js';
import { filesystemStore, managerOn } from './support/stores.js';

const payload = (text: string): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(text)) });
const payloads = Array.from({ length: 5 }, (_, index) => payload(`payload ${index} ${'x'.repeat(1000)}`));

async function keysOf(store: { listKeys(): AsyncIterable<string> }): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

// A store whose third put fails: a disk or bucket failing in the middle of a batch.
class FailingThirdPut extends MemoryStore {
  #puts = 0;
  override put(data: Uint8Array, options?: { signal?: AbortSignal }): Promise<string> {
    if (++this.#puts === 3) return Promise.reject(new ClaimCheckError({ code: 'UNAVAILABLE', operation: 'put', backend: 'memory', detail: 'the disk went away' }));
    return super.put(data, options);
  }
}

describe('ClaimCheckStorageDriver failures', () => {
  it('a put failing in the middle of a batch removes what the batch stored, and rejects with the store’s code and the run', async () => {
    const store = new FailingThirdPut();
    const driver = new ClaimCheckStorageDriver({ store, concurrency: 1 });
    const failure = await driver.store({ target: workflowTarget }, payloads).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClaimCheckError);
    expect((failure as ClaimCheckError).code).toBe('UNAVAILABLE');
    expect((failure as Error).message).toContain('[UNAVAILABLE] 5 payloads (workflow order-42 run run-7 in namespace default) could not be stored');
    expect(await keysOf(store)).toEqual([]);
  });

  it('a batch cancelled through the SDK’s signal stops, removes what it stored and rejects with ABORTED', async () => {
    const store = new MemoryStore();
    const controller = new AbortController();
    let offloads = 0;
    // The signal fires once two payloads are stored, as when a sibling driver fails.
    const manager = await createManager({
      store,
      onEvent: (event) => {
        if (event.type === 'offload' && ++offloads === 2) controller.abort(new Error('sibling failed'));
      },
    });
    const driver = new ClaimCheckStorageDriver({ manager, concurrency: 1 });
    const failure = await driver.store({ target: workflowTarget, abortSignal: controller.signal }, payloads).catch((error: unknown) => error);
    expect((failure as ClaimCheckError).code).toBe('ABORTED');
    expect(offloads).toBe(2);
    expect(await keysOf(store)).toEqual([]);
  });

  it('a corrupted blob is INTEGRITY with its key, never a payload', async () => {
    const store = await filesystemStore();
    const manager = await managerOn(store);
    const driver = new ClaimCheckStorageDriver({ manager });
    const [claim] = await driver.store({ target: workflowTarget }, [payload('y'.repeat(300_000))]);
    const { key } = parseReference(claim?.claimData.reference ?? '');
    await writeFile(join(store.basePath, key), Buffer.alloc(200, 1));
    const failure = await driver.retrieve({}, [claim as StorageDriverClaim]).catch((error: unknown) => error);
    expect((failure as ClaimCheckError).code).toBe('INTEGRITY');
    expect((failure as Error).message).toContain(`[INTEGRITY] blob ${key} in filesystem storage (workflow order-42 run run-7 in namespace default)`);
  });

  it('a claim of a future version is INVALID_REFERENCE and says to upgrade', async () => {
    const driver = new ClaimCheckStorageDriver({ store: new MemoryStore() });
    const [claim] = await driver.store({}, [payload('z')]);
    const future = new StorageDriverClaim({ ...claim?.claimData, version: '2' });
    const failure = await driver.retrieve({}, [future]).catch((error: unknown) => error);
    expect((failure as ClaimCheckError).code).toBe('INVALID_REFERENCE');
    expect((failure as Error).message).toContain('upgrade @claimcheck/temporal');
  });

  it('a claim whose reference was altered is INVALID_REFERENCE', async () => {
    const driver = new ClaimCheckStorageDriver({ store: new MemoryStore() });
    const [claim] = await driver.store({}, [payload('z')]);
    const altered = new StorageDriverClaim({ ...claim?.claimData, reference: (claim?.claimData.reference ?? '').replace('"size":', '"size":1') });
    await expect(driver.retrieve({}, [altered])).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
  });

  it('a claim for another store is INVALID_CONFIG, telling the operator which store holds the blob', async () => {
    const written = new ClaimCheckStorageDriver({ manager: await managerOn(await filesystemStore()) });
    const [claim] = await written.store({}, [payload('z')]);
    const failure = await new ClaimCheckStorageDriver({ store: new MemoryStore() }).retrieve({}, [claim as StorageDriverClaim]).catch((error: unknown) => error);
    expect((failure as ClaimCheckError).code).toBe('INVALID_CONFIG');
    expect((failure as Error).message).toContain('points to filesystem storage');
  });

  it('a payload over the manager’s maxPayloadBytes is refused on store with PAYLOAD_TOO_LARGE, through the SDK', async () => {
    const manager = await createManager({ store: new MemoryStore(), maxPayloadBytes: 300_000 });
    const dataConverter = { externalStorage: new ExternalStorage({ drivers: [new ClaimCheckStorageDriver({ manager })] }) };
    await expect(throughDataConverter(dataConverter, 'w'.repeat(400_000))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('bad options are INVALID_CONFIG', () => {
    const store = new MemoryStore();
    expect(() => new ClaimCheckStorageDriver({ store, name: '' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => new ClaimCheckStorageDriver({ store, concurrency: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => new ClaimCheckStorageDriver({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('store and retrieve keep the order of the payloads at any concurrency', async () => {
    const driver = new ClaimCheckStorageDriver({ store: new MemoryStore(), concurrency: 3 });
    const many = Array.from({ length: 20 }, (_, index) => payload(`payload ${index}`));
    const claims = await driver.store({}, many);
    expect(claims.map((claim) => claim.claimData.version)).toEqual(many.map(() => '1'));
    const back = await driver.retrieve({}, claims);
    expect(back.map((item) => Buffer.from(item.data ?? []).toString())).toEqual(many.map((item) => Buffer.from(item.data ?? []).toString()));
  });
});
