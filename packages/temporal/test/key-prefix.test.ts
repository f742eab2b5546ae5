import { hasErrorCode, isKeyPrefix, MemoryStore, type ObjectStore } from '@claimcheck/core';
import { parseReference } from '@claimcheck/manager';
import type { Payload, StorageDriverClaim } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ClaimCheckStorageDriver, keyPrefixFor, keySegment } from '../src/index.js';
import { workflowTarget } from './support/sdk.js';

const payload: Payload = { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify('x'.repeat(5000))) };

async function storedKey(driver: ClaimCheckStorageDriver, target = workflowTarget): Promise<string> {
  const [claim] = (await driver.store({ target }, [payload])) as [StorageDriverClaim];
  return parseReference(claim.claimData.reference ?? '').key;
}

async function keysOf(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

describe('key segments', () => {
  it('keep letters, digits, _ - and inner dots, and escape every other UTF-8 byte', () => {
    expect(keySegment('order-42_v1.2')).toBe('order-42_v1.2');
    expect(keySegment('orders/2026 Q3')).toBe('orders%2F2026%20Q3');
    expect(keySegment('.hidden')).toBe('%2Ehidden');
    expect(keySegment('..')).toBe('%2E.');
    expect(keySegment('~%')).toBe('%7E%25');
    expect(keySegment('größe')).toBe('gr%C3%B6%C3%9Fe');
  });

  it('over 128 characters, keep a readable head and a hash of the whole, so distinct ids stay distinct', () => {
    const long = 'a'.repeat(990);
    const segment = keySegment(`${long}1`);
    expect(segment).toMatch(/^a{100}~[0-9a-f]{16}$/);
    expect(keySegment(`${long}2`)).not.toBe(segment);
    // The head is cut before a partial escape.
    expect(keySegment(`${'a'.repeat(99)}/${'b'.repeat(200)}`)).toMatch(/^a{99}~[0-9a-f]{16}$/);
    expect(keySegment('/'.repeat(500)).length).toBeLessThanOrEqual(128);
  });
});

describe('keyPrefixFor', () => {
  it('names the namespace, workflow and run, leaving off what the SDK does not give', () => {
    expect(keyPrefixFor(workflowTarget)).toBe('ns/default/wf/order-42/run/run-7');
    expect(keyPrefixFor({ kind: 'workflow', namespace: 'billing', id: 'report/q3' })).toBe('ns/billing/wf/report%2Fq3');
    expect(keyPrefixFor({ kind: 'workflow', namespace: 'billing' })).toBe('ns/billing');
    expect(keyPrefixFor({ kind: 'activity', namespace: 'billing', id: 'resize-1', runId: 'r9', type: 'resize' })).toBe('ns/billing/act/resize-1/run/r9');
    expect(keyPrefixFor(undefined)).toBeUndefined();
  });

  it('stays a valid key prefix for the longest ids Temporal allows', () => {
    const prefix = keyPrefixFor({ kind: 'workflow', namespace: 'n'.repeat(1000), id: '€'.repeat(1000), runId: 'r'.repeat(1000) });
    expect(prefix).toMatch(/^ns\/n{100}~[0-9a-f]{16}\/wf\/(%E2%82%AC){11}~[0-9a-f]{16}\/run\/r{100}~[0-9a-f]{16}$/);
    expect(isKeyPrefix(prefix)).toBe(true);
  });
});

describe('ClaimCheckStorageDriver key layout', () => {
  it('files each blob under its run by default, and the claim still reads it back', async () => {
    const store = new MemoryStore();
    const driver = new ClaimCheckStorageDriver({ store });
    const key = await storedKey(driver);
    expect(key).toMatch(/^ns\/default\/wf\/order-42\/run\/run-7\/[0-9a-f-]{36}$/);
    expect(await keysOf(store)).toEqual([key]);
    const [claim] = (await driver.store({ target: workflowTarget }, [payload])) as [StorageDriverClaim];
    const [back] = await driver.retrieve({}, [claim]);
    expect(Buffer.from(back?.data ?? []).equals(Buffer.from(payload.data ?? []))).toBe(true);
  });

  it('records a standalone activity as an activity, not as a workflow', async () => {
    const driver = new ClaimCheckStorageDriver({ store: new MemoryStore() });
    const target = { kind: 'activity', namespace: 'billing', id: 'resize-1', runId: 'r9', type: 'resize' } as const;
    const [claim] = (await driver.store({ target }, [payload])) as [StorageDriverClaim];
    expect(claim.claimData).toMatchObject({ namespace: 'billing', activityId: 'resize-1', activityType: 'resize', runId: 'r9' });
    expect(claim.claimData.workflowId).toBeUndefined();
    expect(parseReference(claim.claimData.reference ?? '').key.startsWith('ns/billing/act/resize-1/run/r9/')).toBe(true);
  });

  it("keyLayout 'flat' keeps keys at the store's root", async () => {
    const driver = new ClaimCheckStorageDriver({ store: new MemoryStore(), keyLayout: 'flat' });
    expect(await storedKey(driver)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("on a store without key prefixes, 'by-run' fails with INVALID_KEY saying what to do, storing nothing; 'flat' works", async () => {
    const inner = new MemoryStore();
    // A store written before key prefixes existed: the same store, not declaring them.
    const capabilities = Object.freeze({ streaming: false, durableWrites: false });
    const legacy = new Proxy(inner, {
      get(target, property) {
        if (property === 'capabilities') return capabilities;
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    }) as ObjectStore;
    const error: unknown = await storedKey(new ClaimCheckStorageDriver({ store: legacy })).catch((caught: unknown) => caught);
    expect(hasErrorCode(error, 'INVALID_KEY')).toBe(true);
    expect(String(error)).toMatch(/takes no key prefix.*keyLayout: 'flat'/);
    expect(await keysOf(inner)).toEqual([]);
    expect(await storedKey(new ClaimCheckStorageDriver({ store: legacy, keyLayout: 'flat' }))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an unknown keyLayout with INVALID_CONFIG', () => {
    expect(() => new ClaimCheckStorageDriver({ store: new MemoryStore(), keyLayout: 'by-day' as 'flat' })).toThrow(/keyLayout must be 'by-run' or 'flat'/);
  });
});
